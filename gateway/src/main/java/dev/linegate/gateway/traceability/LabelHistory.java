package dev.linegate.gateway.traceability;

import dev.linegate.gateway.store.StoredTime;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A serial's label history, read from the print jobs rather than from a row per label and event:
 * its first print, every reprint with who asked and why, and labels an operator had to settle.
 */
final class LabelHistory {

  private LabelHistory() {}

  static void append(Connection c, SerialRef serial, List<SerialHistoryEntry> history)
      throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT j.id, j.printer, j.kind, j.first_serial, j.settled, j.reason, j.requested_by, j.created_at, j.finished_at, j.failed,"
                + " (SELECT count(*) FROM uncertain_labels u WHERE u.job_id = j.id AND u.serial_id = ?)"
                + " FROM print_jobs j WHERE j.lot_id = ? AND (j.kind = 'unit' OR j.first_serial = ?) ORDER BY j.id")) {
      select.setLong(1, serial.id());
      select.setLong(2, serial.lotId());
      select.setLong(3, serial.id());
      try (ResultSet job = select.executeQuery()) {
        while (job.next()) {
          String printer = job.getString("printer");
          Instant created = StoredTime.get(job, "created_at");
          Optional<Instant> finished = StoredTime.find(job, "finished_at");
          if ("reprint".equals(job.getString("kind"))) {
            history.add(
                new SerialHistoryEntry(
                    created,
                    "reprint requested",
                    job.getString("reason")
                        + " (by "
                        + job.getString("requested_by")
                        + ", job "
                        + job.getLong("id")
                        + ")"));
          }
          long position = serial.id() - job.getLong("first_serial") + 1;
          boolean uncertain = job.getInt(11) > 0;
          if (!uncertain && position <= job.getInt("settled")) {
            boolean running = finished.isEmpty();
            history.add(
                new SerialHistoryEntry(
                    finished.orElse(created),
                    "printed",
                    "on "
                        + printer
                        + ", job "
                        + job.getLong("id")
                        + (running ? " (queued at this time, job still running)" : "")));
          } else if (job.getString("failed") != null && position > job.getInt("settled")) {
            history.add(
                new SerialHistoryEntry(
                    finished.orElseThrow(),
                    "label not printed",
                    "job "
                        + job.getLong("id")
                        + " on "
                        + printer
                        + " failed: "
                        + job.getString("failed")));
          }
        }
      }
    }
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT since, settled, settled_by, settled_at FROM uncertain_labels WHERE serial_id = ? ORDER BY id")) {
      select.setLong(1, serial.id());
      try (ResultSet row = select.executeQuery()) {
        while (row.next()) {
          history.add(
              new SerialHistoryEntry(
                  StoredTime.get(row, "since"),
                  "label uncertain",
                  "was being sent when Linegate stopped; an operator must say whether it printed"));
          if (row.getString("settled") != null) {
            history.add(
                new SerialHistoryEntry(
                    StoredTime.get(row, "settled_at"),
                    "uncertain label settled",
                    row.getString("settled") + " (by " + row.getString("settled_by") + ")"));
          }
        }
      }
    }
  }
}
