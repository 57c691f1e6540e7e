package dev.linegate.gateway.printing;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.linegate.gateway.outbox.EventType;
import dev.linegate.gateway.outbox.Outbox;
import dev.linegate.gateway.store.Page;
import dev.linegate.gateway.store.StoredTime;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Labels handed to a printer whose fate nobody knows (see {@link PrintQueue#markUncertain}): listed
 * for an operator, and settled by the operator, by a station that scans one, or by a reprint of its
 * serial.
 */
public final class UncertainLabels {

  private UncertainLabels() {}

  /** The ones still open, oldest first. */
  public static Page<UncertainLabel> open(Connection c, int limit, Optional<Long> after)
      throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT u.id, u.job_id, u.position, u.since, j.printer, l.lot, l.line, s.serial, s.gtin FROM uncertain_labels u JOIN print_jobs j ON j.id = u.job_id"
                + " JOIN lots l ON l.id = j.lot_id LEFT JOIN serials s ON s.id = u.serial_id WHERE u.settled IS NULL AND u.id > ? ORDER BY u.id LIMIT ?")) {
      select.setLong(1, after.orElse(0L));
      select.setInt(2, limit + 1);
      return Page.read(
          select,
          limit,
          row ->
              new UncertainLabel(
                  row.getLong("id"),
                  row.getLong("job_id"),
                  row.getInt("position"),
                  row.getString("printer"),
                  row.getString("lot"),
                  row.getString("line"),
                  Optional.ofNullable(row.getString("serial")),
                  Optional.ofNullable(row.getString("gtin")),
                  StoredTime.get(row, "since")));
    }
  }

  /** Settles one; with a serial, every other open one of that serial goes with it. */
  static void settle(Connection tx, long id, long serialId, String outcome, String by, Instant now)
      throws SQLException {
    try (PreparedStatement update =
        tx.prepareStatement(
            "UPDATE uncertain_labels SET settled = ?, settled_by = ?, settled_at = ? WHERE id = ?")) {
      update.setString(1, outcome);
      update.setString(2, by);
      StoredTime.set(update, 3, now);
      update.setLong(4, id);
      update.executeUpdate();
    }
    if (serialId > 0) {
      settleSerial(tx, serialId, outcome, by, now);
    }
  }

  /** Settles every open one of the serial; returns the jobs they belonged to. */
  public static List<Long> settleSerial(
      Connection tx, long serialId, String outcome, String by, Instant now) throws SQLException {
    try (PreparedStatement update =
        tx.prepareStatement(
            "UPDATE uncertain_labels SET settled = ?, settled_by = ?, settled_at = ? WHERE serial_id = ? AND settled IS NULL RETURNING job_id")) {
      update.setString(1, outcome);
      update.setString(2, by);
      StoredTime.set(update, 3, now);
      update.setLong(4, serialId);
      List<Long> jobs = new ArrayList<>();
      try (ResultSet row = update.executeQuery()) {
        while (row.next()) {
          jobs.add(row.getLong(1));
        }
      }
      return jobs;
    }
  }

  /** The ERP hears that a label settled as printed did print, as it would have from its job. */
  public static void appendPrinted(
      Outbox outbox,
      Connection tx,
      long jobId,
      String lot,
      String line,
      List<String> serials,
      String by,
      Instant now)
      throws SQLException {
    ObjectNode data = JsonNodeFactory.instance.objectNode();
    data.put("lot", lot);
    data.put("line", line);
    data.put("printer", printerOf(tx, jobId));
    data.put("job", jobId);
    data.put("settledBy", by);
    serials.forEach(data.putArray("serials")::add);
    data.put("labels", 1);
    outbox.append(tx, EventType.LABEL_PRINTED, line, lot, now, data.toString());
  }

  private static String printerOf(Connection tx, long jobId) throws SQLException {
    try (PreparedStatement select =
        tx.prepareStatement("SELECT printer FROM print_jobs WHERE id = ?")) {
      select.setLong(1, jobId);
      try (ResultSet row = select.executeQuery()) {
        row.next();
        return row.getString(1);
      }
    }
  }
}
