package dev.linegate.gateway.traceability;

import dev.linegate.gateway.lots.LotStatusHistory;
import dev.linegate.gateway.store.Page;
import dev.linegate.gateway.store.StoredTime;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Read side of lots and serials for the API. Lists are pages keyed by row id (newest first for
 * lots, issue order for serials), so a page costs the same on the millionth serial as on the first.
 */
public final class LotQueries {

  private static final String LOT_COLUMNS =
      "id, lot, line, batch_id, product, gtin, quantity, production_date, expiry_date, status, completed_at, committed_at";

  private LotQueries() {}

  public static Page<LotView> lots(
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
      return Page.read(select, limit, LotQueries::lot);
    }
  }

  public static Optional<LotDetail> lot(Connection c, String lot) throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement("SELECT " + LOT_COLUMNS + " FROM lots WHERE lot = ?")) {
      select.setString(1, lot);
      try (ResultSet row = select.executeQuery()) {
        if (!row.next()) {
          return Optional.empty();
        }
        long lotId = row.getLong("id");
        // In the order SQLite groups them, as the API has always listed them.
        Map<String, Long> counts = new LinkedHashMap<>();
        try (PreparedStatement count =
            c.prepareStatement(
                "SELECT status, count(*) FROM serials WHERE lot_id = ? GROUP BY status")) {
          count.setLong(1, lotId);
          try (ResultSet status = count.executeQuery()) {
            while (status.next()) {
              counts.put(status.getString(1), status.getLong(2));
            }
          }
        }
        return Optional.of(new LotDetail(lot(row), counts, LotStatusHistory.of(c, lotId)));
      }
    }
  }

  public static Optional<Page<LotSerial>> serialsOfLot(
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
              row ->
                  new LotSerial(
                      row.getString("serial"), row.getString("gtin"), row.getString("status"))));
    }
  }

  /** Every serial with this number (one per GTIN it exists under), with its lot and history. */
  public static List<SerialView> serial(Connection c, String serial, Optional<String> gtin)
      throws SQLException {
    List<SerialView> found = new ArrayList<>();
    for (SerialRef ref : SerialRef.find(c, serial, gtin)) {
      try (PreparedStatement select =
          c.prepareStatement(
              "SELECT product, batch_id, production_date, expiry_date, committed_at FROM lots WHERE id = ?")) {
        select.setLong(1, ref.lotId());
        try (ResultSet row = select.executeQuery()) {
          row.next();
          List<SerialHistoryEntry> history = new ArrayList<>();
          history.add(
              new SerialHistoryEntry(
                  StoredTime.get(row, "committed_at"), "assigned", "lot " + ref.lot()));
          LabelHistory.append(c, ref, history);
          appendStatusChanges(c, ref, history);
          appendLotStatusChanges(c, ref, history);
          found.add(
              new SerialView(
                  ref,
                  row.getString("product"),
                  row.getString("batch_id"),
                  LocalDate.parse(row.getString("production_date")),
                  LocalDate.parse(row.getString("expiry_date")),
                  history));
        }
      }
    }
    return found;
  }

  /** Scrapped, sampled, voided (SPEC section 9): with the reason and who. */
  private static void appendStatusChanges(
      Connection c, SerialRef ref, List<SerialHistoryEntry> history) throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT at, from_status, to_status, reason, \"by\" FROM serial_status_changes WHERE serial_id = ? ORDER BY id")) {
      select.setLong(1, ref.id());
      try (ResultSet row = select.executeQuery()) {
        while (row.next()) {
          history.add(
              new SerialHistoryEntry(
                  StoredTime.get(row, "at"),
                  row.getString("to_status"),
                  row.getString("from_status")
                      + " -> "
                      + row.getString("to_status")
                      + ": "
                      + row.getString("reason")
                      + " (by "
                      + row.getString("by")
                      + ")"));
        }
      }
    }
  }

  /** A hold or recall of its lot is part of a serial's story; the history stays in time order. */
  private static void appendLotStatusChanges(
      Connection c, SerialRef ref, List<SerialHistoryEntry> history) throws SQLException {
    List<LotStatusHistory.Change> changes = LotStatusHistory.of(c, ref.lotId());
    for (LotStatusHistory.Change change : changes) {
      history.add(
          new SerialHistoryEntry(
              change.at(),
              "lot " + change.to(),
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
                  + ")"));
    }
    history.sort(Comparator.comparing(SerialHistoryEntry::at));
  }

  private static LotView lot(ResultSet row) throws SQLException {
    return new LotView(
        row.getString("lot"),
        row.getString("line"),
        row.getString("batch_id"),
        row.getString("product"),
        row.getString("gtin"),
        row.getInt("quantity"),
        LocalDate.parse(row.getString("production_date")),
        LocalDate.parse(row.getString("expiry_date")),
        row.getString("status"),
        StoredTime.find(row, "completed_at"),
        StoredTime.get(row, "committed_at"));
  }
}
