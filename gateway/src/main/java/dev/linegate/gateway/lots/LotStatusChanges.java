package dev.linegate.gateway.lots;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.linegate.gateway.auth.Actor;
import dev.linegate.gateway.auth.AuditTrail;
import dev.linegate.gateway.auth.Meaning;
import dev.linegate.gateway.outbox.EventType;
import dev.linegate.gateway.outbox.Outbox;
import dev.linegate.gateway.store.Refused;
import dev.linegate.gateway.store.Refused.Kind;
import dev.linegate.gateway.store.StoreWriter;
import dev.linegate.gateway.store.StoredTime;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * Hold, release and recall. A change runs as one write on the store writer: the check of the
 * current status, the update, the lot's history, the audit trail's entry and the ERP event commit
 * together or not at all.
 */
public final class LotStatusChanges {

  private final StoreWriter writer;
  private final Outbox outbox;
  private final Runnable afterNewEvents;

  public LotStatusChanges(StoreWriter writer, Outbox outbox, Runnable afterNewEvents) {
    this.writer = writer;
    this.outbox = outbox;
    this.afterNewEvents = afterNewEvents;
  }

  public LotStatusChange change(String lot, LotStatus to, String reason, Actor by)
      throws Refused, Exception {
    // Milliseconds, as stored: the ERP's event and the lot's history show the same instant.
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    LotStatusChange result = writer.decide(tx -> change(tx, lot, to, reason, by, now));
    afterNewEvents.run();
    return result;
  }

  private LotStatusChange change(
      Connection tx, String lot, LotStatus to, String reason, Actor by, Instant now)
      throws SQLException, Refused {
    long lotId;
    String line;
    String fromText;
    String gtin;
    try (PreparedStatement select =
        tx.prepareStatement("SELECT id, line, status, gtin FROM lots WHERE lot = ?")) {
      select.setString(1, lot);
      try (ResultSet row = select.executeQuery()) {
        if (!row.next()) {
          throw new Refused(Kind.NOT_FOUND, "lot not found", "no lot " + lot);
        }
        lotId = row.getLong(1);
        line = row.getString(2);
        fromText = row.getString(3);
        gtin = row.getString(4);
      }
    }
    LotStatus from =
        LotStatus.of(fromText)
            .orElseThrow(
                () -> new SQLException("lot " + lot + " has an unknown status " + fromText));
    if (from == to) {
      throw new Refused(
          Kind.CONFLICT, "already " + to.text(), "lot " + lot + " is already " + to.text());
    }
    if (!from.mayBecome(to)) {
      throw new Refused(
          Kind.CONFLICT,
          "lot is " + from.text(),
          "lot " + lot + " is " + from.text() + " and cannot become " + to.text());
    }
    try (PreparedStatement update =
        tx.prepareStatement("UPDATE lots SET status = ? WHERE id = ?")) {
      update.setString(1, to.text());
      update.setLong(2, lotId);
      update.executeUpdate();
    }
    try (PreparedStatement insert =
        tx.prepareStatement(
            "INSERT INTO lot_status_changes(lot_id, from_status, to_status, reason, \"by\", meaning, at) VALUES(?, ?, ?, ?, ?, ?, ?)")) {
      insert.setLong(1, lotId);
      insert.setString(2, from.text());
      insert.setString(3, to.text());
      insert.setString(4, reason);
      insert.setString(5, by.name());
      insert.setString(6, by.signed().map(Meaning::text).orElse(null));
      StoredTime.set(insert, 7, now);
      insert.executeUpdate();
    }
    AuditTrail.append(tx, by, "lot." + to.verb(), "lot " + lot, Optional.of(reason), now);
    LotStatusChange change =
        new LotStatusChange(
            lot, line, from, to, reason, by.name(), by.signed().map(Meaning::text), now);
    // Subject = the lot, so the ERP hears of the change after the lot's completed event.
    outbox.append(
        tx, EventType.LOT_STATUS_CHANGED, line, lot, now, eventData(change, gtin).toString());
    return change;
  }

  /**
   * The data of lot.status.changed for the ERP (the API answers with the same fields, built in
   * api/), with the GTIN, which the EPCIS output names the lot by.
   */
  private static ObjectNode eventData(LotStatusChange change, String gtin) {
    ObjectNode data = JsonNodeFactory.instance.objectNode();
    data.put("lot", change.lot());
    data.put("gtin", gtin);
    data.put("line", change.line());
    data.put("from", change.from().text());
    data.put("to", change.to().text());
    data.put("reason", change.reason());
    data.put("by", change.by());
    data.put("at", change.at().toString());
    return data;
  }
}
