package dev.linegate.gateway.printing;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.linegate.gateway.outbox.EventType;
import dev.linegate.gateway.outbox.Outbox;
import dev.linegate.gateway.printing.PrintJob.Kind;
import dev.linegate.gateway.store.StoredTime;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The print jobs of every printer, in SQLite, so that they survive a restart and print in the order
 * they were queued. Writes run in the store writer's transaction; reads on any connection.
 *
 * <p>Long because it is all the SQL of the print jobs (queueing, sending, settling, uncertain
 * labels, failures and the label events they send), kept in one place so that the states of a job
 * are changed nowhere else.
 */
public final class PrintQueue {

  /**
   * A {@code label.printed} event carries at most this many serials; a bigger job sends several.
   */
  static final int EVENT_LABELS = 1_000;

  private static final String UNCERTAIN_SERIALS =
      "SELECT serial_id FROM uncertain_labels WHERE job_id = ? AND serial_id IS NOT NULL";
  private static final String JOB_COLUMNS =
      "SELECT j.id, j.lot_id, l.lot, l.line, j.kind, coalesce(j.first_serial, 0), j.labels, j.sent, j.settled, j.reported, l.status, coalesce(j.container_id, 0) FROM print_jobs j JOIN lots l ON l.id = j.lot_id ";

  private final Outbox outbox;
  private final ObjectMapper json;

  public PrintQueue(Outbox outbox, ObjectMapper json) {
    this.outbox = outbox;
    this.json = json;
  }

  /** Queues a new lot's labels, in the transaction that writes the lot. */
  public static void enqueueLot(
      Connection tx, String printer, long lotId, boolean unitLabels, Instant now)
      throws SQLException {
    long firstSerial = 0;
    int labels = 1;
    if (unitLabels) {
      try (PreparedStatement range =
          tx.prepareStatement("SELECT min(id), max(id), count(*) FROM serials WHERE lot_id = ?")) {
        range.setLong(1, lotId);
        try (ResultSet row = range.executeQuery()) {
          row.next();
          firstSerial = row.getLong(1);
          labels = row.getInt(3);
          if (row.getLong(2) - firstSerial + 1 != labels) {
            throw new SQLException(
                "the serials of lot row "
                    + lotId
                    + " are not consecutive rows; cannot queue its labels");
          }
        }
      }
    }
    insert(
        tx,
        printer,
        lotId,
        unitLabels ? Kind.UNIT : Kind.LOT,
        firstSerial,
        labels,
        null,
        null,
        0,
        now);
  }

  /** Queues one label again; {@code serialId} 0 reprints the lot label. */
  public static long enqueueReprint(
      Connection tx,
      String printer,
      long lotId,
      long serialId,
      String reason,
      String by,
      Instant now)
      throws SQLException {
    return insert(tx, printer, lotId, Kind.REPRINT, serialId, 1, reason, by, 0, now);
  }

  /** Queues the SSCC label of a case or pallet just packed. */
  public static void enqueueContainer(
      Connection tx, String printer, long lotId, long containerId, String by, Instant now)
      throws SQLException {
    insert(tx, printer, lotId, Kind.CONTAINER, 0, 1, null, by, containerId, now);
  }

  private static long insert(
      Connection tx,
      String printer,
      long lotId,
      Kind kind,
      long firstSerial,
      int labels,
      String reason,
      String by,
      long containerId,
      Instant now)
      throws SQLException {
    try (PreparedStatement insert =
        tx.prepareStatement(
            "INSERT INTO print_jobs(printer, lot_id, kind, first_serial, labels, reason, requested_by, created_at, container_id) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id")) {
      insert.setString(1, printer);
      insert.setLong(2, lotId);
      insert.setString(3, kind.column());
      if (firstSerial > 0) {
        insert.setLong(4, firstSerial);
      } else {
        insert.setNull(4, java.sql.Types.INTEGER);
      }
      insert.setInt(5, labels);
      insert.setString(6, reason);
      insert.setString(7, by);
      StoredTime.set(insert, 8, now);
      if (containerId > 0) {
        insert.setLong(9, containerId);
      } else {
        insert.setNull(9, java.sql.Types.INTEGER);
      }
      try (ResultSet id = insert.executeQuery()) {
        id.next();
        return id.getLong(1);
      }
    }
  }

  /**
   * The printer's oldest unfinished job: the next one prints only when this one is settled. A job
   * of a lot on hold waits, once its labels in the printer are settled, and the jobs behind it go
   * on; a recalled lot's job comes up so that the worker cancels it.
   */
  static Optional<PrintJob> next(Connection c, String printer) throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement(
            JOB_COLUMNS
                + "WHERE j.printer = ? AND j.finished_at IS NULL"
                + " AND (l.status <> 'on-hold' OR j.sent > j.settled) ORDER BY j.id LIMIT 1")) {
      select.setString(1, printer);
      try (ResultSet row = select.executeQuery()) {
        if (!row.next()) {
          return Optional.empty();
        }
        return Optional.of(
            new PrintJob(
                row.getLong(1),
                row.getLong(2),
                row.getString(3),
                row.getString(4),
                Kind.valueOf(row.getString(5).toUpperCase()),
                row.getLong(6),
                row.getInt(7),
                row.getInt(8),
                row.getInt(9),
                row.getInt(10),
                row.getString(11),
                row.getLong(12)));
      }
    }
  }

  /** Labels waiting for the printer, for /health and metrics. */
  static long waiting(Connection c, String printer) throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT coalesce(sum(labels - settled), 0) FROM print_jobs WHERE printer = ? AND finished_at IS NULL")) {
      select.setString(1, printer);
      try (ResultSet row = select.executeQuery()) {
        row.next();
        return row.getLong(1);
      }
    }
  }

  /** What labels {@code from + 1} to {@code from + count} of the job show. */
  static List<LabelData> labels(Connection c, PrintJob job, int from, int count)
      throws SQLException {
    LabelData lot = lotLabel(c, job.lotId());
    if (!job.hasSerials()) {
      return List.of(lot);
    }
    List<LabelData> labels = new ArrayList<>(count);
    try (PreparedStatement select =
        c.prepareStatement("SELECT serial FROM serials WHERE id >= ? AND id < ? ORDER BY id")) {
      select.setLong(1, job.firstSerial() + from);
      select.setLong(2, job.firstSerial() + from + count);
      try (ResultSet row = select.executeQuery()) {
        while (row.next()) {
          labels.add(lot.withSerial(row.getString(1)));
        }
      }
    }
    return labels;
  }

  /**
   * What the SSCC label of a container shows: the GTIN and count of its units when they are of one
   * GTIN, their lot and expiry when they are of one lot.
   */
  static ContainerLabel containerLabel(Connection c, long containerId) throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement(
            """
            WITH units(serial_id) AS (
              SELECT serial_id FROM container_contents WHERE container_id = ?1 AND serial_id IS NOT NULL
              UNION ALL
              SELECT u.serial_id FROM container_contents p
                JOIN container_contents u ON u.container_id = p.case_id AND u.removed_at IS NULL
              WHERE p.container_id = ?1 AND p.removed_at IS NULL AND u.serial_id IS NOT NULL)
            SELECT k.sscc, k.level, k.line, k.station, k.children, k.units, k.product,
              min(s.gtin), max(s.gtin), min(l.lot), max(l.lot), min(l.expiry_date)
            FROM containers k, units JOIN serials s ON s.id = units.serial_id
              JOIN lots l ON l.id = s.lot_id
            WHERE k.id = ?1""")) {
      select.setLong(1, containerId);
      try (ResultSet row = select.executeQuery()) {
        if (!row.next() || row.getString(1) == null) {
          throw new SQLException("no container with row id " + containerId);
        }
        boolean oneGtin = row.getString(8).equals(row.getString(9));
        boolean oneLot = oneGtin && row.getString(10).equals(row.getString(11));
        return new ContainerLabel(
            row.getString(1),
            row.getString(2),
            row.getString(3),
            row.getString(4),
            row.getInt(5),
            row.getInt(6),
            oneGtin ? Optional.of(row.getString(8)) : Optional.empty(),
            Optional.of(row.getString(7)),
            oneLot ? Optional.of(row.getString(10)) : Optional.empty(),
            oneLot ? Optional.of(LocalDate.parse(row.getString(12))) : Optional.empty());
      }
    }
  }

  static LabelData lotLabel(Connection c, long lotId) throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT line, product, gtin, lot, quantity, production_date, expiry_date FROM lots WHERE id = ?")) {
      select.setLong(1, lotId);
      try (ResultSet row = select.executeQuery()) {
        if (!row.next()) {
          throw new SQLException("no lot with row id " + lotId);
        }
        return new LabelData(
            row.getString(1),
            row.getString(2),
            row.getString(3),
            row.getString(4),
            row.getInt(5),
            LocalDate.parse(row.getString(6)),
            LocalDate.parse(row.getString(7)),
            Optional.empty());
      }
    }
  }

  /**
   * Whether a label of this serial ({@code serialId} 0: the lot label) has been handed to a
   * printer: only then can it be scanned.
   */
  public static boolean handedToPrinter(Connection c, long lotId, long serialId)
      throws SQLException {
    return labelPast(c, lotId, serialId, "sent");
  }

  /**
   * Whether a label of this serial has left the printer, printed or in doubt: before that, a
   * reprint would put a second label with the same serial behind the first.
   */
  public static boolean outOfPrinter(Connection c, long lotId, long serialId) throws SQLException {
    return labelPast(c, lotId, serialId, "settled");
  }

  private static boolean labelPast(Connection c, long lotId, long serialId, String counter)
      throws SQLException {
    String sql =
        serialId > 0
            ? "SELECT 1 FROM print_jobs WHERE lot_id = ?1 AND ((kind = 'unit' AND ?2 - first_serial < "
                + counter
                + ") OR (kind = 'reprint' AND first_serial = ?2 AND "
                + counter
                + " > 0)) LIMIT 1"
            : "SELECT 1 FROM print_jobs WHERE lot_id = ? AND first_serial IS NULL AND "
                + counter
                + " > 0 LIMIT 1";
    try (PreparedStatement select = c.prepareStatement(sql)) {
      select.setLong(1, lotId);
      if (serialId > 0) {
        select.setLong(2, serialId);
      }
      try (ResultSet row = select.executeQuery()) {
        return row.next();
      }
    }
  }

  /** A reprint of this label ({@code serialId} 0: the lot label) that has not finished, if any. */
  static Optional<Long> openReprint(Connection c, long lotId, long serialId) throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT id FROM print_jobs WHERE lot_id = ? AND kind = 'reprint' AND coalesce(first_serial, 0) = ? AND finished_at IS NULL LIMIT 1")) {
      select.setLong(1, lotId);
      select.setLong(2, serialId);
      try (ResultSet row = select.executeQuery()) {
        return row.next() ? Optional.of(row.getLong(1)) : Optional.empty();
      }
    }
  }

  /**
   * Committed before the bytes leave, so that after a crash these labels are known to be in doubt.
   */
  static void markSent(Connection tx, long jobId, int sent) throws SQLException {
    try (PreparedStatement update =
        tx.prepareStatement("UPDATE print_jobs SET sent = ? WHERE id = ?")) {
      update.setInt(1, sent);
      update.setLong(2, jobId);
      update.executeUpdate();
    }
  }

  /**
   * Labels up to {@code settled} have been printed (apart from those listed as uncertain): their
   * serials become {@code printed}, and the ERP hears of them once the job is done or a full event
   * is ready.
   */
  PrintJob markPrinted(Connection tx, PrintJob job, int settled, String printer, Instant now)
      throws SQLException {
    if (job.hasSerials()) {
      try (PreparedStatement update =
          tx.prepareStatement(
              "UPDATE serials SET status = 'printed' WHERE id >= ? AND id < ? AND status IN ("
                  // The replacement of a scrapped label with the same serial labels that unit
                  // again.
                  + (job.kind() == PrintJob.Kind.REPRINT ? "'assigned', 'rejected'" : "'assigned'")
                  + ") AND id NOT IN ("
                  + UNCERTAIN_SERIALS
                  + ")")) {
        update.setLong(1, job.firstSerial() + job.settled());
        update.setLong(2, job.firstSerial() + settled);
        update.setLong(3, job.id());
        update.executeUpdate();
      }
    }
    boolean finished = settled == job.labels();
    int reported = job.reported();
    while (settled - reported >= EVENT_LABELS || (finished && settled > reported)) {
      int upTo = Math.min(settled, reported + EVENT_LABELS);
      appendPrinted(tx, job, reported, upTo, printer, now);
      reported = upTo;
    }
    try (PreparedStatement update =
        tx.prepareStatement(
            "UPDATE print_jobs SET settled = ?, reported = ?, finished_at = ? WHERE id = ?")) {
      update.setInt(1, settled);
      update.setInt(2, reported);
      if (finished) {
        StoredTime.set(update, 3, now);
      } else {
        update.setNull(3, java.sql.Types.INTEGER);
      }
      update.setLong(4, job.id());
      update.executeUpdate();
    }
    return new PrintJob(
        job.id(),
        job.lotId(),
        job.lot(),
        job.line(),
        job.kind(),
        job.firstSerial(),
        job.labels(),
        job.sent(),
        settled,
        reported,
        job.lotStatus(),
        job.containerId());
  }

  /** One event for labels {@code from + 1} to {@code to} of a job, leaving out uncertain ones. */
  private void appendPrinted(
      Connection tx, PrintJob job, int from, int to, String printer, Instant now)
      throws SQLException {
    StringWriter data = new StringWriter(200 + (to - from) * 24);
    int count = 0;
    try (JsonGenerator out = json.getFactory().createGenerator(data)) {
      out.writeStartObject();
      out.writeStringField("lot", job.lot());
      out.writeStringField("line", job.line());
      out.writeStringField("printer", printer);
      out.writeNumberField("job", job.id());
      out.writeStringField("kind", job.kind().column());
      out.writeArrayFieldStart("serials");
      if (job.hasSerials()) {
        try (PreparedStatement select =
            tx.prepareStatement(
                "SELECT serial FROM serials WHERE id >= ? AND id < ? AND id NOT IN ("
                    + UNCERTAIN_SERIALS
                    + ") ORDER BY id")) {
          select.setLong(1, job.firstSerial() + from);
          select.setLong(2, job.firstSerial() + to);
          select.setLong(3, job.id());
          try (ResultSet row = select.executeQuery()) {
            while (row.next()) {
              out.writeString(row.getString(1));
              count++;
            }
          }
        }
      } else {
        count = to - from - uncertainBetween(tx, job.id(), from, to);
      }
      out.writeEndArray();
      out.writeNumberField("labels", count);
      out.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("writing to a string cannot fail", e);
    }
    // A case's label is news in aggregation.packed, which the ERP already has.
    if (count > 0 && job.kind() != PrintJob.Kind.CONTAINER) {
      outbox.append(tx, EventType.LABEL_PRINTED, job.line(), job.lot(), now, data.toString());
    }
  }

  /**
   * After a restart, labels {@code job.settled() + 1} to {@code through} were sent but the printer
   * no longer holds them: printed or lost, nobody knows. They are listed for an operator instead of
   * being sent again, and the job moves on.
   */
  PrintJob markUncertain(Connection tx, PrintJob job, int through, String printer, Instant now)
      throws SQLException {
    try (PreparedStatement insert =
        tx.prepareStatement(
            "INSERT INTO uncertain_labels(job_id, position, serial_id, since) VALUES(?, ?, ?, ?)")) {
      for (int position = job.settled() + 1; position <= through; position++) {
        insert.setLong(1, job.id());
        insert.setInt(2, position);
        if (job.hasSerials()) {
          insert.setLong(3, job.firstSerial() + position - 1);
        } else {
          insert.setNull(3, java.sql.Types.INTEGER);
        }
        StoredTime.set(insert, 4, now);
        insert.addBatch();
      }
      insert.executeBatch();
    }
    return markPrinted(tx, job, through, printer, now);
  }

  private static int uncertainBetween(Connection tx, long jobId, int from, int to)
      throws SQLException {
    try (PreparedStatement select =
        tx.prepareStatement(
            "SELECT count(*) FROM uncertain_labels WHERE job_id = ? AND position > ? AND position <= ?")) {
      select.setLong(1, jobId);
      select.setInt(2, from);
      select.setInt(3, to);
      try (ResultSet row = select.executeQuery()) {
        row.next();
        return row.getInt(1);
      }
    }
  }

  /**
   * Label {@code job.settled() + 1} cannot be rendered ({@code reason}), and every label before it
   * is settled: the job finishes without the rest, so that the jobs behind it print. The ERP hears
   * of the labels printed and of the failure.
   */
  void markFailed(Connection tx, PrintJob job, String printer, String reason, Instant now)
      throws SQLException {
    if (job.settled() > job.reported()) {
      appendPrinted(tx, job, job.reported(), job.settled(), printer, now);
    }
    try (PreparedStatement update =
        tx.prepareStatement(
            "UPDATE print_jobs SET reported = settled, finished_at = ?, failed = ? WHERE id = ?")) {
      StoredTime.set(update, 1, now);
      update.setString(2, reason);
      update.setLong(3, job.id());
      update.executeUpdate();
    }
    appendFailed(tx, job, printer, reason, now, now);
  }

  /**
   * A recalled lot's job whose labels in the printer are settled: it finishes without the rest (the
   * ERP hears of those printed and of the cancellation), and the serials of the labels it never
   * sent are voided, each with its history, so that no label of a recalled lot appears later.
   * Returns how many were voided.
   */
  int cancelRecalled(Connection tx, PrintJob job, String printer, Instant now) throws SQLException {
    int voided = 0;
    if (job.kind() == PrintJob.Kind.UNIT) {
      long from = job.firstSerial() + job.sent();
      long to = job.firstSerial() + job.labels();
      try (PreparedStatement history =
          tx.prepareStatement(
              "INSERT INTO serial_status_changes(serial_id, from_status, to_status, reason, \"by\", at)"
                  + " SELECT id, status, 'voided', ?, 'gateway', ? FROM serials"
                  + " WHERE id >= ? AND id < ? AND status = 'assigned'")) {
        history.setString(1, "lot recalled: its label was never printed (job " + job.id() + ")");
        StoredTime.set(history, 2, now);
        history.setLong(3, from);
        history.setLong(4, to);
        history.executeUpdate();
      }
      try (PreparedStatement update =
          tx.prepareStatement(
              "UPDATE serials SET status = 'voided' WHERE id >= ? AND id < ? AND status = 'assigned'")) {
        update.setLong(1, from);
        update.setLong(2, to);
        voided = update.executeUpdate();
      }
    }
    markFailed(
        tx,
        job,
        printer,
        "lot recalled: "
            + (job.labels() - job.settled())
            + " label(s) cancelled"
            + (voided > 0 ? ", their " + voided + " serial(s) voided" : ""),
        now);
    return voided;
  }

  /** A fault has held this job's labels longer than the printer's alarm time, or the job failed. */
  void appendFailed(
      Connection tx, PrintJob job, String printer, String fault, Instant since, Instant now)
      throws SQLException {
    ObjectNode data = json.createObjectNode();
    data.put("lot", job.lot());
    data.put("line", job.line());
    data.put("printer", printer);
    data.put("job", job.id());
    data.put("fault", fault);
    data.put("since", since.toString());
    data.put("labelsWaiting", job.labels() - job.settled());
    outbox.append(tx, EventType.LABEL_FAILED, job.line(), job.lot(), now, data.toString());
  }
}
