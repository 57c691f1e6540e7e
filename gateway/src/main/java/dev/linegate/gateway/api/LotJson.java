package dev.linegate.gateway.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.linegate.gateway.lots.LotClosing;
import dev.linegate.gateway.lots.LotStatusChange;
import dev.linegate.gateway.lots.LotStatusHistory;
import dev.linegate.gateway.lots.Reconciliation;
import dev.linegate.gateway.traceability.LotDetail;
import dev.linegate.gateway.traceability.LotSerial;
import dev.linegate.gateway.traceability.LotView;
import dev.linegate.gateway.traceability.SerialHistoryEntry;
import dev.linegate.gateway.traceability.SerialRef;
import dev.linegate.gateway.traceability.SerialView;
import java.time.Instant;
import java.util.Optional;

/** Lots, their serials and their status changes as the API answers them (SPEC section 6). */
final class LotJson {

  private LotJson() {}

  static ObjectNode lot(LotView lot) {
    ObjectNode json = JsonNodeFactory.instance.objectNode();
    json.put("lot", lot.lot());
    json.put("line", lot.line());
    json.put("batchId", lot.batchId());
    json.put("product", lot.product());
    json.put("gtin", lot.gtin());
    json.put("quantity", lot.quantity());
    json.put("productionDate", lot.productionDate().toString());
    json.put("expiryDate", lot.expiryDate().toString());
    json.put("status", lot.status());
    json.put("completedAt", lot.completedAt().map(Instant::toString).orElse(null));
    json.put("committedAt", lot.committedAt().toString());
    return json;
  }

  static ObjectNode detail(LotDetail detail) {
    ObjectNode json = lot(detail.lot());
    ObjectNode counts = json.putObject("serialCounts");
    detail.serialCounts().forEach(counts::put);
    ArrayNode history = json.putArray("statusHistory");
    for (LotStatusHistory.Change change : detail.statusHistory()) {
      change(
          history.addObject(),
          change.from(),
          change.to(),
          change.reason(),
          change.by(),
          change.signed(),
          change.at());
    }
    return json;
  }

  static ObjectNode serialOfLot(LotSerial serial) {
    ObjectNode json = JsonNodeFactory.instance.objectNode();
    json.put("serial", serial.serial());
    json.put("gtin", serial.gtin());
    json.put("status", serial.status());
    return json;
  }

  static ObjectNode serial(SerialView serial) {
    SerialRef ref = serial.ref();
    ObjectNode json = JsonNodeFactory.instance.objectNode();
    json.put("serial", ref.serial());
    json.put("gtin", ref.gtin());
    json.put("status", ref.status());
    json.put("lot", ref.lot());
    json.put("lotStatus", ref.lotStatus());
    json.put("line", ref.line());
    json.put("product", serial.product());
    json.put("batchId", serial.batchId());
    json.put("productionDate", serial.productionDate().toString());
    json.put("expiryDate", serial.expiryDate().toString());
    ArrayNode history = json.putArray("history");
    for (SerialHistoryEntry step : serial.history()) {
      ObjectNode entry = history.addObject();
      entry.put("at", step.at().toString());
      entry.put("event", step.event());
      entry.put("detail", step.detail());
    }
    return json;
  }

  /** A lot's counts (SPEC section 9), and who closed it when. */
  static ObjectNode reconciliation(Reconciliation counts) {
    ObjectNode json = LotClosing.countsData(counts);
    json.put("closed", counts.closedAt().isPresent());
    counts.closedAt().ifPresent(at -> json.put("closedAt", at.toString()));
    counts.closedBy().ifPresent(by -> json.put("closedBy", by));
    return json;
  }

  static ObjectNode statusChange(LotStatusChange change) {
    ObjectNode json = JsonNodeFactory.instance.objectNode();
    json.put("lot", change.lot());
    json.put("line", change.line());
    return change(
        json,
        change.from().text(),
        change.to().text(),
        change.reason(),
        change.by(),
        change.signed(),
        change.at());
  }

  /** A status change as the lot's history and the answer to a change both show it. */
  private static ObjectNode change(
      ObjectNode json,
      String from,
      String to,
      String reason,
      String by,
      Optional<String> signed,
      Instant at) {
    json.put("from", from);
    json.put("to", to);
    json.put("reason", reason);
    json.put("by", by);
    json.put("signed", signed.orElse(null));
    json.put("at", at.toString());
    return json;
  }
}
