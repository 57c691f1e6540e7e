package dev.linegate.gateway.printing;

import dev.linegate.gateway.auth.Actor;
import dev.linegate.gateway.auth.AuditTrail;
import dev.linegate.gateway.config.LineConfig;
import dev.linegate.gateway.outbox.Outbox;
import dev.linegate.gateway.store.Refused;
import dev.linegate.gateway.store.Refused.Kind;
import dev.linegate.gateway.store.StoreWriter;
import dev.linegate.gateway.traceability.SerialRef;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What an operator asks of labels: a reprint, always explicit and recorded with who and why, and
 * the settling of labels left uncertain by a crash. Each runs as one write, so the check and the
 * change see the same state.
 */
public final class LabelActions {

  private final Map<String, LineConfig> lines;
  private final StoreWriter writer;
  private final Outbox outbox;
  private final Runnable wakePrinters;

  public LabelActions(
      Map<String, LineConfig> lines, StoreWriter writer, Outbox outbox, Runnable wakePrinters) {
    this.lines = lines;
    this.writer = writer;
    this.outbox = outbox;
    this.wakePrinters = wakePrinters;
  }

  public Reprint reprint(String serial, Optional<String> gtin, String reason, Actor by)
      throws Refused, Exception {
    Reprint queued = writer.decide(tx -> reprint(tx, serial, gtin, reason, by, Instant.now()));
    wakePrinters.run();
    return queued;
  }

  private Reprint reprint(
      Connection tx, String number, Optional<String> gtin, String reason, Actor actor, Instant now)
      throws SQLException, Refused {
    String by = actor.name();
    SerialRef serial = SerialRef.one(tx, number, gtin);
    refuseLabelFor(serial);
    LineConfig line = lines.get(serial.line());
    if (line == null || line.printer().isEmpty()) {
      throw new Refused(
          Kind.CONFLICT, "no printer", "line " + serial.line() + " has no printer configured");
    }
    // A line that prints lot labels reprints its lot label.
    long serialId = line.labels() == LineConfig.Labels.LOT ? 0 : serial.id();
    refuseQueuedAgain(tx, serial.lotId(), serialId);
    if (!PrintQueue.outOfPrinter(tx, serial.lotId(), serialId)) {
      throw new Refused(
          Kind.CONFLICT,
          "not printed yet",
          "the label of serial "
              + serial.serial()
              + " is still in the print queue or the printer; a reprint would print it twice");
    }
    long job =
        PrintQueue.enqueueReprint(
            tx, line.printer().get(), serial.lotId(), serialId, reason, by, now);
    UncertainLabels.settleSerial(tx, serial.id(), "reprinted as job " + job, by, now);
    AuditTrail.append(
        tx,
        actor,
        "serial.reprint",
        (serialId == 0 ? "lot label of serial " : "serial ")
            + serial.serial()
            + " of lot "
            + serial.lot(),
        Optional.of(reason),
        now);
    return new Reprint(
        job,
        line.printer().get(),
        serial.serial(),
        serial.lot(),
        serialId == 0 ? Reprint.Label.LOT : Reprint.Label.UNIT,
        reason,
        by,
        now);
  }

  /** A picture of the serial's label, as its line prints it. */
  public byte[] preview(Connection c, SerialRef serial) throws SQLException {
    LabelData lot = PrintQueue.lotLabel(c, serial.lotId());
    LineConfig line = lines.get(serial.line());
    boolean lotLabel = line != null && line.labels() == LineConfig.Labels.LOT;
    return LabelPreview.png(lotLabel ? lot : lot.withSerial(serial.serial()));
  }

  private static String lotStatus(Connection tx, long lotId) throws SQLException {
    try (PreparedStatement select = tx.prepareStatement("SELECT status FROM lots WHERE id = ?")) {
      select.setLong(1, lotId);
      try (ResultSet row = select.executeQuery()) {
        row.next();
        return row.getString(1);
      }
    }
  }

  /** A voided or scrapped serial, or one of a recalled or closed lot, gets no further label. */
  private static void refuseLabelFor(SerialRef serial) throws Refused {
    if (serial.status().equals("voided") || serial.status().equals("rejected")) {
      throw new Refused(
          Kind.CONFLICT,
          "serial is " + serial.status(),
          "a " + serial.status() + " serial gets no label");
    }
    if (serial.lotStatus().equals("recalled")) {
      throw new Refused(
          Kind.CONFLICT,
          "lot is recalled",
          "lot " + serial.lot() + " is recalled; its labels are not printed again");
    }
    if (serial.lotClosed()) {
      throw new Refused(
          Kind.CONFLICT,
          "lot is closed",
          "lot " + serial.lot() + " is closed; it takes no new labels or reprints");
    }
  }

  /**
   * A label already queued to print again ({@code labelSerialId} 0: the lot label) is not queued
   * twice.
   */
  private static void refuseQueuedAgain(Connection tx, long lotId, long labelSerialId)
      throws SQLException, Refused {
    Optional<Long> queued = PrintQueue.openReprint(tx, lotId, labelSerialId);
    if (queued.isPresent()) {
      throw new Refused(
          Kind.CONFLICT,
          "reprint already queued",
          "job " + queued.get() + " prints this label again already");
    }
  }

  /**
   * The operator looked: the label printed (the serial becomes printed and the ERP hears of it), or
   * it did not (a reprint is queued).
   */
  public SettledLabel settle(long id, boolean printed, Actor by) throws Refused, Exception {
    SettledLabel settled = writer.decide(tx -> settle(tx, id, printed, by, Instant.now()));
    wakePrinters.run();
    return settled;
  }

  private SettledLabel settle(Connection tx, long id, boolean printed, Actor actor, Instant now)
      throws SQLException, Refused {
    String by = actor.name();
    long jobId;
    long serialId;
    String printer;
    long lotId;
    String lot;
    String line;
    try (PreparedStatement select =
        tx.prepareStatement(
            "SELECT u.job_id, coalesce(u.serial_id, 0), u.settled, j.printer, j.lot_id, l.lot, l.line FROM uncertain_labels u JOIN print_jobs j ON j.id = u.job_id JOIN lots l ON l.id = j.lot_id WHERE u.id = ?")) {
      select.setLong(1, id);
      try (ResultSet row = select.executeQuery()) {
        if (!row.next()) {
          throw new Refused(
              Kind.NOT_FOUND, "uncertain label not found", "no uncertain label " + id);
        }
        if (row.getString(3) != null) {
          throw new Refused(
              Kind.CONFLICT,
              "already settled",
              "uncertain label " + id + " was settled: " + row.getString(3));
        }
        jobId = row.getLong(1);
        serialId = row.getLong(2);
        printer = row.getString(4);
        lotId = row.getLong(5);
        lot = row.getString(6);
        line = row.getString(7);
      }
    }
    if (serialId > 0) {
      SerialRef serial = SerialRef.byId(tx, serialId);
      if (!serial.status().equals("assigned")) {
        // Scanned at a station, say: the label is known to exist, there is nothing left to settle.
        throw new Refused(
            Kind.CONFLICT,
            "serial is " + serial.status(),
            "serial "
                + serial.serial()
                + " is "
                + serial.status()
                + " already; its label needs no settling");
      }
      if (!printed) {
        refuseLabelFor(serial);
      }
    } else if (!printed && lotStatus(tx, lotId).equals("recalled")) {
      throw new Refused(
          Kind.CONFLICT,
          "lot is recalled",
          "lot " + lot + " is recalled; its labels are not printed again");
    }
    // Either way, a label already queued again decides it: printed, it would be a second label.
    refuseQueuedAgain(tx, lotId, serialId);
    String outcome;
    if (printed) {
      outcome = "printed";
      appendSettledPrinted(tx, jobId, serialId, lot, line, by, now);
    } else {
      long job =
          PrintQueue.enqueueReprint(
              tx, printer, lotId, serialId, "not printed: uncertain after a restart", by, now);
      outcome = "reprinted as job " + job;
    }
    UncertainLabels.settle(tx, id, serialId, outcome, by, now);
    AuditTrail.append(
        tx,
        actor,
        "label.settle",
        "uncertain label " + id + " of lot " + lot,
        Optional.of(outcome),
        now);
    return new SettledLabel(id, outcome, by);
  }

  private void appendSettledPrinted(
      Connection tx, long jobId, long serialId, String lot, String line, String by, Instant now)
      throws SQLException {
    List<String> serials = new ArrayList<>();
    if (serialId > 0) {
      try (PreparedStatement update =
          tx.prepareStatement(
              "UPDATE serials SET status = 'printed' WHERE id = ? AND status = 'assigned' RETURNING serial")) {
        update.setLong(1, serialId);
        try (ResultSet row = update.executeQuery()) {
          while (row.next()) {
            serials.add(row.getString(1));
          }
        }
      }
    }
    UncertainLabels.appendPrinted(outbox, tx, jobId, lot, line, serials, by, now);
  }
}
