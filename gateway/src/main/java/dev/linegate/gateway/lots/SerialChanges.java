package dev.linegate.gateway.lots;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.linegate.gateway.auth.Actor;
import dev.linegate.gateway.auth.AuditTrail;
import dev.linegate.gateway.config.LineConfig;
import dev.linegate.gateway.config.ProductConfig;
import dev.linegate.gateway.numbering.Counters;
import dev.linegate.gateway.numbering.NumberingException;
import dev.linegate.gateway.numbering.SerialAllocator;
import dev.linegate.gateway.outbox.EventType;
import dev.linegate.gateway.outbox.Outbox;
import dev.linegate.gateway.pools.PoolStore;
import dev.linegate.gateway.printing.PrintQueue;
import dev.linegate.gateway.printing.UncertainLabels;
import dev.linegate.gateway.store.Refused;
import dev.linegate.gateway.store.Refused.Kind;
import dev.linegate.gateway.store.StoreWriter;
import dev.linegate.gateway.store.StoredTime;
import dev.linegate.gateway.traceability.SerialRef;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Scrap, sample and void (SPEC section 9). Each is one write: the check of the serial's state, the
 * update, the serial's history, the audit trail's entry and the ERP's {@code serial.status-changed}
 * commit together or not at all.
 */
public final class SerialChanges {

  private final Map<String, LineConfig> lines;
  private final Map<String, ProductConfig> products;
  private final SerialAllocator allocator;
  private final StoreWriter writer;
  private final Outbox outbox;
  private final Runnable afterNewEvents;

  /**
   * {@code counters}: the writer's, so that a new serial for a replacement label comes from them.
   */
  public SerialChanges(
      Map<String, LineConfig> lines,
      Map<String, ProductConfig> products,
      Counters counters,
      StoreWriter writer,
      Outbox outbox,
      Runnable afterNewEvents) {
    this.lines = lines;
    this.products = products;
    this.allocator = new SerialAllocator(counters);
    this.writer = writer;
    this.outbox = outbox;
    this.afterNewEvents = afterNewEvents;
  }

  public SerialStatusChange change(
      String serial, Optional<String> gtin, SerialFate fate, String reason, Actor by)
      throws Refused, Exception {
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    SerialStatusChange change =
        writer.decide(tx -> change(tx, serial, gtin, fate, reason, by, now));
    afterNewEvents.run();
    return change;
  }

  /** The change inside the caller's write (a scan in scrap mode); refused before any write. */
  public SerialStatusChange change(
      Connection tx,
      String number,
      Optional<String> gtin,
      SerialFate fate,
      String reason,
      Actor by,
      Instant now)
      throws SQLException, Refused {
    SerialRef serial = SerialRef.one(tx, number, gtin);
    if (!fate.mayFollow(serial.status())) {
      throw new Refused(
          Kind.CONFLICT,
          "serial is " + serial.status(),
          "a "
              + serial.status()
              + " serial cannot be "
              + fate.status()
              + (fate == SerialFate.SCRAP ? ": only a printed label can be scrapped" : ""));
    }
    if (fate == SerialFate.SCRAP && serial.lotClosed()) {
      throw new Refused(
          Kind.CONFLICT,
          "lot is closed",
          "lot " + serial.lot() + " is closed; its labels are not scrapped any more");
    }
    LineConfig line = lines.get(serial.line());
    boolean unitLabels = line != null && line.labels() == LineConfig.Labels.UNIT;
    if (serial.status().equals("assigned")
        && unitLabels
        && !PrintQueue.outOfPrinter(tx, serial.lotId(), serial.id())) {
      // Its label would still come out of the printer, with a serial that is no longer in use.
      throw new Refused(
          Kind.CONFLICT,
          "label not printed yet",
          "the label of serial "
              + serial.serial()
              + " is still in the print queue or the printer; wait until it is printed, or recall"
              + " the lot to cancel its queued labels");
    }
    // First, as it may still be refused (no serial for it): the writer commits what a refused
    // change has written so far.
    Optional<String> replacement =
        fate == SerialFate.SCRAP && unitLabels && line.printer().isPresent()
            ? Optional.of(replace(tx, serial, line.printer().get(), reason, by, now))
            : Optional.empty();
    try (PreparedStatement update =
        tx.prepareStatement("UPDATE serials SET status = ? WHERE id = ?")) {
      update.setString(1, fate.status());
      update.setLong(2, serial.id());
      update.executeUpdate();
    }
    // A label in doubt whose serial is now out of use needs no more looking at.
    UncertainLabels.settleSerial(tx, serial.id(), fate.status(), by.name(), now);
    SerialStatusChange change =
        new SerialStatusChange(
            serial.serial(),
            serial.gtin(),
            serial.lot(),
            serial.line(),
            serial.status(),
            fate.status(),
            reason,
            by.name(),
            now,
            replacement);
    record(tx, serial.id(), change);
    AuditTrail.append(
        tx,
        by,
        "serial." + fate.verb(),
        "serial " + serial.serial() + " of lot " + serial.lot(),
        Optional.of(reason),
        now);
    ObjectNode data = eventData(change);
    // The EPCIS output commissions a new serial on a replacement label with the lot's expiry.
    data.put("expiryDate", serial.expiryDate());
    outbox.append(
        tx, EventType.SERIAL_STATUS_CHANGED, serial.line(), serial.lot(), now, data.toString());
    return change;
  }

  /**
   * Queues the label that replaces a scrapped one, with the same serial or, where the product says
   * {@code serials.reprint: newSerial}, a new serial of the lot (from the counter or the pool, in
   * this write, so that it is never issued twice). Returns the serial on it.
   */
  private String replace(
      Connection tx, SerialRef scrapped, String printer, String reason, Actor by, Instant now)
      throws SQLException, Refused {
    ProductConfig product = products.get(scrapped.product());
    SerialRef label = scrapped;
    if (product != null && product.serials().reprint() == ProductConfig.Reprint.NEW_SERIAL) {
      if (product.serials().pool().isPresent()
          && PoolStore.unassignedUpTo(tx, product.gtin(), 1) < 1) {
        throw new Refused(
            Kind.CONFLICT,
            "no serial for the replacement label",
            "the serial pool of GTIN " + product.gtin() + " is empty; scrap once it has serials");
      }
      List<String> issued = new ArrayList<>(1);
      try {
        allocator.allocate(tx, product, scrapped.lotId(), 1, issued::add);
      } catch (NumberingException e) {
        throw new Refused(Kind.CONFLICT, "no serial for the replacement label", e.getMessage());
      }
      label = SerialRef.one(tx, issued.get(0), Optional.of(product.gtin()));
    }
    PrintQueue.enqueueReprint(
        tx,
        printer,
        scrapped.lotId(),
        label.id(),
        "replaces the scrapped label of serial " + scrapped.serial() + ": " + reason,
        by.name(),
        now);
    return label.serial();
  }

  /** The serial's history: every change of its state, with who and why. */
  static void record(Connection tx, long serialId, SerialStatusChange change) throws SQLException {
    try (PreparedStatement insert =
        tx.prepareStatement(
            "INSERT INTO serial_status_changes(serial_id, from_status, to_status, reason, \"by\", at) VALUES(?, ?, ?, ?, ?, ?)")) {
      insert.setLong(1, serialId);
      insert.setString(2, change.from());
      insert.setString(3, change.to());
      insert.setString(4, change.reason());
      insert.setString(5, change.by());
      StoredTime.set(insert, 6, change.at());
      insert.executeUpdate();
    }
  }

  /** The data of serial.status-changed, which is also the API's answer to the change. */
  public static ObjectNode eventData(SerialStatusChange change) {
    ObjectNode data = JsonNodeFactory.instance.objectNode();
    data.put("serial", change.serial());
    data.put("gtin", change.gtin());
    data.put("lot", change.lot());
    data.put("line", change.line());
    data.put("from", change.from());
    data.put("to", change.to());
    data.put("reason", change.reason());
    data.put("by", change.by());
    data.put("at", change.at().toString());
    change.replacement().ifPresent(serial -> data.put("replacement", serial));
    return data;
  }
}
