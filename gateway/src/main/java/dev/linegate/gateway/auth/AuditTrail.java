package dev.linegate.gateway.auth;

import dev.linegate.gateway.store.Page;
import dev.linegate.gateway.store.StoredTime;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

/**
 * Every change made through the API or the commands: who (the authenticated actor), when, what, on
 * which object, why, and the meaning of the signature if the change was signed. Appended in the
 * transaction of the change itself, so there is no change without its entry and no entry without
 * its change. The database refuses to alter or delete an entry (schema triggers).
 */
public final class AuditTrail {

  private AuditTrail() {}

  /**
   * @param action what was done, e.g. {@code lot.recall}
   * @param object what it was done to, e.g. {@code lot L1-20261204-0001}
   */
  public static void append(
      Connection tx, Actor actor, String action, String object, Optional<String> reason, Instant at)
      throws SQLException {
    try (PreparedStatement insert =
        tx.prepareStatement(
            "INSERT INTO audit(at, actor, role, action, object, reason, meaning) VALUES(?, ?, ?, ?, ?, ?, ?)")) {
      StoredTime.set(insert, 1, at);
      insert.setString(2, actor.name());
      insert.setString(3, actor.role().text());
      insert.setString(4, action);
      insert.setString(5, object);
      insert.setString(6, reason.orElse(null));
      insert.setString(7, actor.signed().map(Meaning::text).orElse(null));
      insert.executeUpdate();
    }
  }

  /** Newest first. */
  public static Page<AuditEntry> list(Connection c, int limit, Optional<Long> before)
      throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT id, at, actor, role, action, object, reason, meaning FROM audit WHERE id < ? ORDER BY id DESC LIMIT ?")) {
      select.setLong(1, before.orElse(Long.MAX_VALUE));
      select.setInt(2, limit + 1);
      return Page.read(
          select,
          limit,
          row ->
              new AuditEntry(
                  row.getLong("id"),
                  StoredTime.get(row, "at"),
                  row.getString("actor"),
                  row.getString("role"),
                  row.getString("action"),
                  row.getString("object"),
                  Optional.ofNullable(row.getString("reason")),
                  Optional.ofNullable(row.getString("meaning"))));
    }
  }
}
