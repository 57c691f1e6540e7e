package dev.linegate.gateway.lots;

import dev.linegate.gateway.store.StoredTime;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The recorded status changes of a lot, oldest first. */
public final class LotStatusHistory {

  /** One change, as recorded in {@code lot_status_changes}. */
  public record Change(
      String from, String to, String reason, String by, Optional<String> signed, Instant at) {}

  private LotStatusHistory() {}

  public static List<Change> of(Connection c, long lotId) throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT from_status, to_status, reason, \"by\", meaning, at FROM lot_status_changes WHERE lot_id = ? ORDER BY id")) {
      select.setLong(1, lotId);
      List<Change> changes = new ArrayList<>();
      try (ResultSet row = select.executeQuery()) {
        while (row.next()) {
          changes.add(
              new Change(
                  row.getString(1),
                  row.getString(2),
                  row.getString(3),
                  row.getString(4),
                  Optional.ofNullable(row.getString(5)),
                  StoredTime.get(row, "at")));
        }
      }
      return changes;
    }
  }
}
