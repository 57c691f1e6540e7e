package dev.linegate.gateway.store;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/**
 * A page of a list and the cursor of the next one. Pages are keyed by row id, so reading page 1,000
 * costs what reading page 1 does.
 */
public record Page(ArrayNode items, Optional<String> next) {

  /** Maps one row to JSON; the row must have an {@code id} column, which becomes the cursor. */
  @FunctionalInterface
  public interface RowMapper {
    ObjectNode map(ResultSet row) throws SQLException;
  }

  /** Runs a query that asks for limit + 1 rows: the extra one only tells whether there is more. */
  public static Page read(PreparedStatement select, int limit, RowMapper mapper)
      throws SQLException {
    ArrayNode items = JsonNodeFactory.instance.arrayNode();
    long lastId = 0;
    try (ResultSet row = select.executeQuery()) {
      while (row.next()) {
        if (items.size() == limit) {
          return new Page(items, Optional.of(Long.toString(lastId)));
        }
        items.add(mapper.map(row));
        lastId = row.getLong("id");
      }
    }
    return new Page(items, Optional.empty());
  }

  public ObjectNode toJson() {
    ObjectNode page = JsonNodeFactory.instance.objectNode();
    page.set("items", items);
    page.put("next", next.orElse(null));
    return page;
  }
}
