package dev.linegate.gateway.numbering;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Named counters kept in the database and moved only inside the writer's transaction: a number
 * handed out is committed together with what it numbers, so a crash cannot hand it out again.
 */
final class Counters {

  private Counters() {}

  static long current(Connection tx, String name) throws SQLException {
    try (PreparedStatement select = tx.prepareStatement("SELECT value FROM counters WHERE name = ?")) {
      select.setString(1, name);
      try (ResultSet row = select.executeQuery()) {
        return row.next() ? row.getLong(1) : 0;
      }
    }
  }

  static void set(Connection tx, String name, long value) throws SQLException {
    try (PreparedStatement upsert = tx.prepareStatement("INSERT INTO counters(name, value) VALUES(?, ?) ON CONFLICT(name) DO UPDATE SET value = excluded.value")) {
      upsert.setString(1, name);
      upsert.setLong(2, value);
      upsert.executeUpdate();
    }
  }
}
