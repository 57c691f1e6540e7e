package dev.linegate.gateway.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.linegate.gateway.store.Page;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** A page of any list: {@code {"items": [...], "next": cursor or null}}. */
final class PageJson {

  private PageJson() {}

  static <T> ObjectNode of(Page<T> page, Function<T, ? extends JsonNode> item) {
    ObjectNode json = JsonNodeFactory.instance.objectNode();
    ArrayNode items = json.putArray("items");
    page.items().forEach(i -> items.add(item.apply(i)));
    json.put("next", page.next().orElse(null));
    return json;
  }

  /** A list that is never long (users, tokens, pools), in the same shape: one page, no next. */
  static <T> ObjectNode whole(List<T> items, Function<T, ? extends JsonNode> item) {
    return of(new Page<>(items, Optional.empty()), item);
  }
}
