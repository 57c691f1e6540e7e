package dev.linegate.gateway.rejects;

import dev.linegate.gateway.store.Page;
import dev.linegate.gateway.store.StoredTime;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

/**
 * Every input that was refused (a bad batch signal, later a bad scan), with what came in and why.
 * Raw payloads are cut at 64 KiB so that a flood of garbage cannot fill the disk one message at a
 * time.
 */
public final class RejectLog {

  static final int MAX_RAW = 64 * 1024;

  private RejectLog() {}

  public static void append(
      Connection tx,
      String kind,
      String line,
      String origin,
      Instant receivedAt,
      String reason,
      byte[] raw)
      throws SQLException {
    append(tx, kind, line, origin, receivedAt, reason, raw, raw.length);
  }

  /**
   * @param raw what was received, or its start when the source cut a larger message
   * @param size the size of the whole input, noted after the raw text when that is not all of it
   */
  public static void append(
      Connection tx,
      String kind,
      String line,
      String origin,
      Instant receivedAt,
      String reason,
      byte[] raw,
      long size)
      throws SQLException {
    try (PreparedStatement insert =
        tx.prepareStatement(
            "INSERT INTO rejects(kind, line, origin, received_at, reason, raw) VALUES(?, ?, ?, ?, ?, ?)")) {
      insert.setString(1, kind);
      insert.setString(2, line);
      insert.setString(3, origin);
      StoredTime.set(insert, 4, receivedAt);
      insert.setString(5, reason);
      int kept = Math.min(raw.length, MAX_RAW);
      String text = new String(raw, 0, kept, StandardCharsets.UTF_8);
      insert.setString(6, size > kept ? text + "...(" + size + " bytes)" : text);
      insert.executeUpdate();
    }
  }

  /** Newest first. */
  public static Page<Reject> list(Connection c, int limit, Optional<Long> before)
      throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT id, kind, line, origin, received_at, reason, raw FROM rejects WHERE id < ? ORDER BY id DESC LIMIT ?")) {
      select.setLong(1, before.orElse(Long.MAX_VALUE));
      select.setInt(2, limit + 1);
      return Page.read(
          select,
          limit,
          row ->
              new Reject(
                  row.getLong("id"),
                  row.getString("kind"),
                  Optional.ofNullable(row.getString("line")),
                  row.getString("origin"),
                  StoredTime.get(row, "received_at"),
                  row.getString("reason"),
                  row.getString("raw")));
    }
  }

  /** Keeps the log bounded. */
  public static int purgeOlderThan(Connection tx, Instant cutoff) throws SQLException {
    try (PreparedStatement delete =
        tx.prepareStatement("DELETE FROM rejects WHERE received_at < ?")) {
      StoredTime.set(delete, 1, cutoff);
      return delete.executeUpdate();
    }
  }
}
