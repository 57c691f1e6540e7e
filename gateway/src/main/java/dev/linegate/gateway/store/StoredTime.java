package dev.linegate.gateway.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

/**
 * How the database keeps an instant: epoch milliseconds (INTEGER, UTC), in every table, and the one
 * place where one is written and read. (Dates, such as {@code lots.production_date} and {@code
 * expiry_date}, are ISO text {@code yyyy-mm-dd}.) Schema version 7 converted {@code lots} and
 * {@code rejects}, which kept theirs as ISO text before.
 */
public final class StoredTime {

  private StoredTime() {}

  /** Binds {@code time}; what is finer than a millisecond is dropped. */
  public static void set(PreparedStatement statement, int index, Instant time) throws SQLException {
    statement.setLong(index, time.toEpochMilli());
  }

  /** The column's instant, empty when it is NULL. */
  public static Optional<Instant> find(ResultSet row, String column) throws SQLException {
    long millis = row.getLong(column);
    return row.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(millis));
  }

  /** The instant of a column that is never NULL (or must not be, where it is read). */
  public static Instant get(ResultSet row, String column) throws SQLException {
    return find(row, column).orElseThrow(() -> new SQLException("column " + column + " is NULL"));
  }
}
