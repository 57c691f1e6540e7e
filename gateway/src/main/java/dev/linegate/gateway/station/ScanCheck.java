package dev.linegate.gateway.station;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.linegate.gateway.gs1.Gs1Data;
import dev.linegate.gateway.gs1.Gs1Exception;
import dev.linegate.gateway.gs1.Gs1Parser;
import dev.linegate.gateway.outbox.EventType;
import dev.linegate.gateway.outbox.Outbox;
import dev.linegate.gateway.printing.PrintQueue;
import dev.linegate.gateway.printing.UncertainLabels;
import dev.linegate.gateway.rejects.RejectLog;
import dev.linegate.gateway.station.ScanResult.Verdict;
import dev.linegate.gateway.store.StoredTime;
import dev.linegate.gateway.traceability.SerialRef;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

/**
 * Decides what one scan means, inside the writer's transaction so that two scans of the same label
 * cannot both verify it: the scan is recorded, and a good unit label turns its serial {@code
 * verified} and sends {@code label.verified} to the ERP in the same commit.
 */
public final class ScanCheck implements ScanJudge {

  private final Outbox outbox;

  public ScanCheck(Outbox outbox) {
    this.outbox = outbox;
  }

  @Override
  public ScanResult judge(
      Connection tx,
      String scanner,
      Optional<String> line,
      String raw,
      Optional<String> problem,
      Instant at)
      throws SQLException {
    if (problem.isPresent()) {
      return reject(tx, scanner, line, raw, problem.get(), at);
    }
    Gs1Data data;
    try {
      data = Gs1Parser.parse(raw).data();
    } catch (Gs1Exception e) {
      return reject(tx, scanner, line, raw, e.reason(), at);
    }
    Draft draft = new Draft(scanner, line, at, raw).gs1(data);
    if (data.gtin().isEmpty()) {
      return record(
          tx,
          draft.verdict(
              Verdict.FLAGGED, "no GTIN on this label: not a product label of this gateway"));
    }
    if (data.serial().isEmpty()) {
      return record(tx, lotLabel(tx, draft, data));
    }
    List<SerialRef> found = SerialRef.find(tx, data.serial().get(), data.gtin());
    if (found.isEmpty()) {
      return record(
          tx,
          draft.verdict(
              Verdict.FLAGGED,
              "unknown serial " + data.serial().get() + " for GTIN " + data.gtin().get()));
    }
    SerialRef serial = found.get(0);
    draft = draft.lot(serial.lot());
    Optional<String> mismatch = mismatch(tx, serial, data);
    if (mismatch.isPresent()) {
      return record(
          tx,
          draft.verdict(
              Verdict.FLAGGED, "label does not match what was printed: " + mismatch.get()));
    }
    Optional<String> blocked = blocked(tx, serial);
    if (blocked.isPresent()) {
      return record(tx, draft.verdict(Verdict.FLAGGED, blocked.get()));
    }
    ScanResult verified = record(tx, draft.verdict(Verdict.OK, "verified"));
    verify(outbox, tx, serial, scanner, at);
    return verified;
  }

  /**
   * The serial's label has been seen at {@code scanner}: the serial is {@code verified} and the ERP
   * hears {@code label.verified}, in the caller's write.
   */
  public static void verify(
      Outbox outbox, Connection tx, SerialRef serial, String scanner, Instant at)
      throws SQLException {
    try (PreparedStatement update =
        tx.prepareStatement("UPDATE serials SET status = 'verified' WHERE id = ?")) {
      update.setLong(1, serial.id());
      update.executeUpdate();
    }
    // A label left uncertain by a restart has just been seen: nothing is left for an operator,
    // and the ERP, which had not heard that it printed, hears it now.
    String station = "scanner:" + scanner;
    for (long job :
        UncertainLabels.settleSerial(tx, serial.id(), "printed: scanned", station, at)) {
      UncertainLabels.appendPrinted(
          outbox, tx, job, serial.lot(), serial.line(), List.of(serial.serial()), station, at);
    }
    outbox.append(
        tx,
        EventType.LABEL_VERIFIED,
        serial.line(),
        serial.lot(),
        at,
        verifiedEvent(serial, scanner, at).toString());
  }

  /** A scan that is not GS1 data at all, kept in the rejects with its bytes. */
  public static ScanResult reject(
      Connection tx, String scanner, Optional<String> line, String raw, String reason, Instant at)
      throws SQLException {
    RejectLog.append(
        tx,
        "scan",
        line.orElse(null),
        "scanner:" + scanner,
        at,
        reason,
        raw.getBytes(StandardCharsets.ISO_8859_1));
    return record(tx, new Draft(scanner, line, at, raw).verdict(Verdict.REJECTED, reason));
  }

  /** A lot label is checked, not counted: the lot must exist, match and be released. */
  private static ScanResult lotLabel(Connection tx, Draft draft, Gs1Data data) throws SQLException {
    if (data.lot().isEmpty()) {
      return draft.verdict(Verdict.FLAGGED, "neither a serial nor a lot on this label");
    }
    try (PreparedStatement select =
        tx.prepareStatement("SELECT gtin, status FROM lots WHERE lot = ?")) {
      select.setString(1, data.lot().get());
      try (ResultSet row = select.executeQuery()) {
        Draft lot = draft.lot(data.lot().get());
        if (!row.next()) {
          return lot.verdict(Verdict.FLAGGED, "unknown lot " + data.lot().get());
        }
        if (!row.getString(1).equals(data.gtin().get())) {
          return lot.verdict(
              Verdict.FLAGGED,
              "label does not match what was printed: GTIN "
                  + data.gtin().get()
                  + " on the label, lot "
                  + data.lot().get()
                  + " is GTIN "
                  + row.getString(1));
        }
        return switch (row.getString(2)) {
          case "on-hold" -> lot.verdict(Verdict.FLAGGED, "lot " + data.lot().get() + " is on hold");
          case "recalled" ->
              lot.verdict(Verdict.FLAGGED, "lot " + data.lot().get() + " is recalled");
          default -> lot.verdict(Verdict.OK, "lot label of lot " + data.lot().get());
        };
      }
    }
  }

  /** What the label says that the record does not: another lot, another expiry date. */
  public static Optional<String> mismatch(Connection tx, SerialRef serial, Gs1Data data)
      throws SQLException {
    if (data.lot().isPresent() && !data.lot().get().equals(serial.lot())) {
      return Optional.of(
          "lot "
              + data.lot().get()
              + " on the label, serial "
              + serial.serial()
              + " belongs to lot "
              + serial.lot());
    }
    if (data.expiryDate().isPresent()) {
      try (PreparedStatement select =
          tx.prepareStatement("SELECT expiry_date FROM lots WHERE id = ?")) {
        select.setLong(1, serial.lotId());
        try (ResultSet row = select.executeQuery()) {
          row.next();
          LocalDate recorded = LocalDate.parse(row.getString(1));
          if (!data.expiryDate().get().equals(recorded)) {
            return Optional.of(
                "expiry "
                    + data.expiryDate().get()
                    + " on the label, lot "
                    + serial.lot()
                    + " expires "
                    + recorded);
          }
        }
      }
    }
    return Optional.empty();
  }

  /** Why a matching label must still not pass, if it must not. */
  private static Optional<String> blocked(Connection tx, SerialRef serial) throws SQLException {
    if (serial.lotStatus().equals("recalled")) {
      return Optional.of("lot " + serial.lot() + " is recalled");
    }
    if (serial.lotStatus().equals("on-hold")) {
      return Optional.of("lot " + serial.lot() + " is on hold");
    }
    return switch (serial.status()) {
      case "verified" ->
          Optional.of("scanned twice: serial " + serial.serial() + " was already verified");
      case "voided", "rejected" ->
          Optional.of("serial " + serial.serial() + " is " + serial.status());
      case "assigned" ->
          PrintQueue.handedToPrinter(tx, serial.lotId(), serial.id())
              ? Optional.empty()
              : Optional.of("serial " + serial.serial() + " has not been printed");
      default -> Optional.empty();
    };
  }

  private static ObjectNode verifiedEvent(SerialRef serial, String scanner, Instant at) {
    ObjectNode data = JsonNodeFactory.instance.objectNode();
    data.put("lot", serial.lot());
    data.put("line", serial.line());
    data.put("gtin", serial.gtin());
    data.put("serial", serial.serial());
    data.put("scanner", scanner);
    data.put("scannedAt", at.toString());
    return data;
  }

  /** Records the scan for {@code GET /api/scans}; returns it with its id. */
  public static ScanResult record(Connection tx, ScanResult result) throws SQLException {
    try (PreparedStatement insert =
        tx.prepareStatement(
            "INSERT INTO scans(scanner, line, at, raw, verdict, reason, gtin, serial, lot) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id")) {
      insert.setString(1, result.scanner());
      insert.setString(2, result.line().orElse(null));
      StoredTime.set(insert, 3, result.at());
      insert.setString(
          4,
          result.raw().length() > ScanLog.MAX_RAW
              ? result.raw().substring(0, ScanLog.MAX_RAW)
              : result.raw());
      insert.setString(5, result.verdict().name().toLowerCase());
      insert.setString(6, result.reason());
      insert.setString(7, result.gtin().orElse(null));
      insert.setString(8, result.serial().orElse(null));
      insert.setString(9, result.lot().orElse(null));
      try (ResultSet id = insert.executeQuery()) {
        id.next();
        return new ScanResult(
            id.getLong(1),
            result.scanner(),
            result.line(),
            result.at(),
            result.raw(),
            result.verdict(),
            result.reason(),
            result.gtin(),
            result.serial(),
            result.lot());
      }
    }
  }

  /** A result being put together as the checks go. */
  private record Draft(
      String scanner,
      Optional<String> line,
      Instant at,
      String raw,
      Optional<String> gtin,
      Optional<String> serial,
      Optional<String> lot) {

    Draft(String scanner, Optional<String> line, Instant at, String raw) {
      this(scanner, line, at, raw, Optional.empty(), Optional.empty(), Optional.empty());
    }

    Draft gs1(Gs1Data data) {
      return new Draft(scanner, line, at, raw, data.gtin(), data.serial(), data.lot());
    }

    Draft lot(String lot) {
      return new Draft(scanner, line, at, raw, gtin, serial, Optional.of(lot));
    }

    ScanResult verdict(Verdict verdict, String reason) {
      return new ScanResult(0, scanner, line, at, raw, verdict, reason, gtin, serial, lot);
    }
  }
}
