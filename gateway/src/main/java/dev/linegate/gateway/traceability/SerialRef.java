package dev.linegate.gateway.traceability;

import dev.linegate.gateway.store.Refused;
import dev.linegate.gateway.store.Refused.Kind;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A serial found by its number: its row, status and lot, whether the lot is closed, and the lot's
 * product and expiry date ({@code 2028-11-22}).
 */
public record SerialRef(
    long id,
    String serial,
    String gtin,
    String status,
    long lotId,
    String lot,
    String line,
    String lotStatus,
    boolean lotClosed,
    String product,
    String expiryDate) {

  /**
   * The GTINs that have lots, one seek of {@code lots_by_gtin} each: {@code SELECT DISTINCT gtin}
   * reads the whole index, one entry per lot, which at 100,000 lots was 4-5 ms of every lookup.
   */
  private static final String SELECT =
      "SELECT s.id, s.serial, s.gtin, s.status, l.id, l.lot, l.line, l.status, l.closed_at IS NOT NULL, l.product, l.expiry_date FROM serials s JOIN lots l ON l.id = s.lot_id ";

  private static final String GTINS_OF_LOTS =
      "WITH RECURSIVE g(gtin) AS (SELECT min(gtin) FROM lots"
          + " UNION ALL SELECT (SELECT min(gtin) FROM lots WHERE gtin > g.gtin) FROM g WHERE g.gtin IS NOT NULL)"
          + " SELECT gtin FROM g WHERE gtin IS NOT NULL";

  /**
   * Serials are unique per GTIN; without a GTIN the same serial may exist under several. Listing
   * the GTINs keeps the lookup on the (gtin, serial) index.
   */
  public static List<SerialRef> find(Connection c, String serial, Optional<String> gtin)
      throws SQLException {
    String sql =
        SELECT
            + "WHERE s.serial = ? AND "
            + (gtin.isPresent() ? "s.gtin = ?" : "s.gtin IN (" + GTINS_OF_LOTS + ")");
    try (PreparedStatement select = c.prepareStatement(sql)) {
      select.setString(1, serial);
      if (gtin.isPresent()) {
        select.setString(2, gtin.get());
      }
      return read(select);
    }
  }

  /**
   * The one serial of this number (under {@code gtin}, if given), for a change to it: none is 404,
   * several (the same number under more GTINs) is 409 asking for the GTIN.
   */
  public static SerialRef one(Connection c, String serial, Optional<String> gtin)
      throws SQLException, Refused {
    List<SerialRef> found = find(c, serial, gtin);
    if (found.isEmpty()) {
      throw new Refused(Kind.NOT_FOUND, "serial not found", "no serial " + serial);
    }
    if (found.size() > 1) {
      throw new Refused(
          Kind.CONFLICT,
          "ambiguous serial",
          "serial " + serial + " exists under " + found.size() + " GTINs; add ?gtin=");
    }
    return found.get(0);
  }

  /** The serial with this row id. */
  public static SerialRef byId(Connection c, long id) throws SQLException {
    try (PreparedStatement select = c.prepareStatement(SELECT + "WHERE s.id = ?")) {
      select.setLong(1, id);
      return read(select).stream()
          .findFirst()
          .orElseThrow(() -> new SQLException("no serial with row id " + id));
    }
  }

  private static List<SerialRef> read(PreparedStatement select) throws SQLException {
    List<SerialRef> found = new ArrayList<>();
    try (ResultSet row = select.executeQuery()) {
      while (row.next()) {
        found.add(
            new SerialRef(
                row.getLong(1),
                row.getString(2),
                row.getString(3),
                row.getString(4),
                row.getLong(5),
                row.getString(6),
                row.getString(7),
                row.getString(8),
                row.getBoolean(9),
                row.getString(10),
                row.getString(11)));
      }
    }
    return found;
  }
}
