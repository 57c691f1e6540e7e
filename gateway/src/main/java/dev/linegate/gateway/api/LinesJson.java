package dev.linegate.gateway.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.linegate.gateway.config.LineConfig;
import java.util.List;

/**
 * The configured lines, for {@code GET /api/lines}: what each is connected to, so a screen can
 * group by line.
 */
final class LinesJson {

  private LinesJson() {}

  static ArrayNode of(List<LineConfig> lines) {
    ArrayNode all = JsonNodeFactory.instance.arrayNode();
    for (LineConfig line : lines) {
      ObjectNode json = all.addObject();
      json.put("id", line.id());
      json.put("source", line.mqtt().isPresent() ? "mqtt:" + line.id() : "opcua:" + line.id());
      json.put("labels", line.labels().name().toLowerCase());
      json.put("printer", line.printer().map(p -> "printer:" + p).orElse(null));
      json.put("scanner", line.scanner().map(s -> "scanner:" + s).orElse(null));
      var products = json.putArray("products");
      line.products().stream().sorted().forEach(products::add);
    }
    return all;
  }
}
