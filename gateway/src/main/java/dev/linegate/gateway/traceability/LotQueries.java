package dev.linegate.gateway.traceability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.linegate.gateway.lots.LotStatusHistory;
import dev.linegate.gateway.store.Page;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Read side of lots and serials for the API. Lists are pages keyed by row id (newest first for
 * lots, issue order for serials), so a page costs the same on the millionth serial as on the first.
 */
public final class LotQueries {

  private static final String LOT_COLUMNS =
      "id, lot, line, batch_id, product, gtin, quantity, production_date, expiry_date, status, completed_at, committed_at";

  private final ObjectMapper json;

  public LotQueries(ObjectMapper json) {
    this.json = json;
  }

  public Page lots(
      Connection c,
      Optional<String> line,
      Optional<String> product,
      int limit,
      Optional<Long> before)
      throws SQLException {
    StringBuilder sql = new StringBuilder("SELECT " + LOT_COLUMNS + " FROM lots WHERE id < ?");
    List<String> args = new ArrayList<>();
    line.ifPresent(
        l -> {
          sql.append(" AND line = ?");
          args.add(l);
        });
    product.ifPresent(
        p -> {
          sql.append(" AND product = ?");
          args.add(p);
        });
    sql.append(" ORDER BY id DESC LIMIT ?");
    try (PreparedStatement select = c.prepareStatement(sql.toString())) {
      int i = 1;
      select.setLong(i++, before.orElse(Long.MAX_VALUE));
      for (String arg : args) {
        select.setString(i++, arg);
      }
      select.setInt(i, limit + 1);
      return Page.read(select, limit, this::lot);
    }
  }

  public Optional<ObjectNode> lot(Connection c, String lot) throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement("SELECT " + LOT_COLUMNS + " FROM lots WHERE lot = ?")) {
      select.setString(1, lot);
      try (ResultSet row = select.executeQuery()) {
        if (!row.next()) {
          return Optional.empty();
        }
        ObjectNode found = lot(row);
        ObjectNode counts = found.putObject("serialCounts");
        try (PreparedStatement count =
            c.prepareStatement(
                "SELECT status, count(*) FROM serials WHERE lot_id = ? GROUP BY status")) {
          count.setLong(1, row.getLong("id"));
          try (ResultSet status = count.executeQuery()) {
            while (status.next()) {
              counts.put(status.getString(1), status.getLong(2));
            }
          }
        }
        found.set(
            "statusHistory", LotStatusHistory.toJson(LotStatusHistory.of(c, row.getLong("id"))));
        return Optional.of(found);
      }
    }
  }

  public Optional<Page> serialsOfLot(
      Connection c, String lot, Optional<String> status, int limit, Optional<Long> after)
      throws SQLException {
    long lotId;
    try (PreparedStatement select = c.prepareStatement("SELECT id FROM lots WHERE lot = ?")) {
      select.setString(1, lot);
      try (ResultSet row = select.executeQuery()) {
        if (!row.next()) {
          return Optional.empty();
        }
        lotId = row.getLong(1);
      }
    }
    String sql =
        "SELECT id, serial, gtin, status FROM serials WHERE lot_id = ? AND id > ?"
            + (status.isPresent() ? " AND status = ?" : "")
            + " ORDER BY id LIMIT ?";
    try (PreparedStatement select = c.prepareStatement(sql)) {
      int i = 1;
      select.setLong(i++, lotId);
      select.setLong(i++, after.orElse(0L));
      if (status.isPresent()) {
        select.setString(i++, status.get());
      }
      select.setInt(i, limit + 1);
      return Optional.of(
          Page.read(
              select,
              limit,
              row -> {
                ObjectNode serial = json.createObjectNode();
                serial.put("serial", row.getString("serial"));
                serial.put("gtin", row.getString("gtin"));
                serial.put("status", row.getString("status"));
                return serial;
              }));
    }
  }

  /** Every serial with this number (one per GTIN it exists under), with its lot and history. */
  public List<ObjectNode> serial(Connection c, String serial, Optional<String> gtin)
      throws SQLException {
    List<ObjectNode> found = new ArrayList<>();
    for (SerialRef ref : SerialRef.find(c, serial, gtin)) {
      try (PreparedStatement select =
          c.prepareStatement(
              "SELECT product, batch_id, production_date, expiry_date, committed_at FROM lots WHERE id = ?")) {
        select.setLong(1, ref.lotId());
        try (ResultSet row = select.executeQuery()) {
          row.next();
          ObjectNode item = json.createObjectNode();
          item.put("serial", ref.serial());
          item.put("gtin", ref.gtin());
          item.put("status", ref.status());
          item.put("lot", ref.lot());
          item.put("lotStatus", ref.lotStatus());
          item.put("line", ref.line());
          item.put("product", row.getString("product"));
          item.put("batchId", row.getString("batch_id"));
          item.put("productionDate", row.getString("production_date"));
          item.put("expiryDate", row.getString("expiry_date"));
          ArrayNode history = item.putArray("history");
          ObjectNode assigned = history.addObject();
          assigned.put("at", row.getString("committed_at"));
          assigned.put("event", "assigned");
          assigned.put("detail", "lot " + ref.lot());
          LabelHistory.append(c, ref, history);
          appendLotStatusChanges(c, ref, history);
          found.add(item);
        }
      }
    }
    return found;
  }

  /** A hold or recall of its lot is part of a serial's story; the history stays in time order. */
  private static void appendLotStatusChanges(Connection c, SerialRef ref, ArrayNode history)
      throws SQLException {
    List<LotStatusHistory.Change> changes = LotStatusHistory.of(c, ref.lotId());
    if (changes.isEmpty()) {
      return;
    }
    for (LotStatusHistory.Change change : changes) {
      ObjectNode entry = history.addObject();
      entry.put("at", change.at().toString());
      entry.put("event", "lot " + change.to());
      entry.put(
          "detail",
          "lot "
              + ref.lot()
              + " "
              + change.from()
              + " -> "
              + change.to()
              + ": "
              + change.reason()
              + " (by "
              + change.by()
              + ")");
    }
    List<JsonNode> entries = new ArrayList<>();
    history.forEach(entries::add);
    entries.sort(Comparator.comparing(e -> Instant.parse(e.get("at").asText())));
    history.removeAll();
    history.addAll(entries);
  }

  private ObjectNode lot(ResultSet row) throws SQLException {
    ObjectNode lot = json.createObjectNode();
    lot.put("lot", row.getString("lot"));
    lot.put("line", row.getString("line"));
    lot.put("batchId", row.getString("batch_id"));
    lot.put("product", row.getString("product"));
    lot.put("gtin", row.getString("gtin"));
    lot.put("quantity", row.getInt("quantity"));
    lot.put("productionDate", row.getString("production_date"));
    lot.put("expiryDate", row.getString("expiry_date"));
    lot.put("status", row.getString("status"));
    lot.put("completedAt", row.getString("completed_at"));
    lot.put("committedAt", row.getString("committed_at"));
    return lot;
  }
}
