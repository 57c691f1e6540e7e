package dev.linegate.gateway.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A page of a list and the cursor of the next one. Pages are keyed by row id, so reading page 1,000
 * costs what reading page 1 does.
 */
public record Page<T>(List<T> items, Optional<String> next) {

  public Page {
    items = List.copyOf(items);
  }

  /** Maps one row to an item; the row must have an {@code id} column, which becomes the cursor. */
  @FunctionalInterface
  public interface RowMapper<T> {
    T map(ResultSet row) throws SQLException;
  }

  /** Runs a query that asks for limit + 1 rows: the extra one only tells whether there is more. */
  public static <T> Page<T> read(PreparedStatement select, int limit, RowMapper<T> mapper)
      throws SQLException {
    List<T> items = new ArrayList<>();
    long lastId = 0;
    try (ResultSet row = select.executeQuery()) {
      while (row.next()) {
        if (items.size() == limit) {
          return new Page<>(items, Optional.of(Long.toString(lastId)));
        }
        items.add(mapper.map(row));
        lastId = row.getLong("id");
      }
    }
    return new Page<>(items, Optional.empty());
  }
}
