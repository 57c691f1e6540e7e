package dev.linegate.gateway.packing;

import dev.linegate.gateway.store.StoredTime;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The SQL of packaging: what a station's open case or pallet holds ({@code station_open}), the
 * committed containers and their contents, kept with what was removed from them.
 */
final class Containers {

  private Containers() {}

  /** A committed case or pallet. */
  record Ref(
      long id,
      String sscc,
      Level level,
      String station,
      String line,
      String product,
      int units,
      Optional<Instant> unpackedAt) {}

  private static final String REF =
      "SELECT id, sscc, level, station, line, product, units, unpacked_at FROM containers ";

  static Optional<Ref> bySscc(Connection c, String sscc) throws SQLException {
    return ref(c, REF + "WHERE sscc = ?", sscc);
  }

  static Optional<Ref> byId(Connection c, long id) throws SQLException {
    return ref(c, REF + "WHERE id = ?", id);
  }

  /** The case or pallet a unit ({@code serial_id}) or a case ({@code case_id}) is in now. */
  static Optional<Ref> parentOf(Connection c, String column, long id) throws SQLException {
    return ref(
        c,
        REF
            + "WHERE id = (SELECT container_id FROM container_contents WHERE "
            + column
            + " = ? AND removed_at IS NULL)",
        id);
  }

  /** The station whose open case or pallet holds this unit or case. */
  static Optional<String> openAt(Connection c, String column, long id) throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement("SELECT station FROM station_open WHERE " + column + " = ?")) {
      select.setLong(1, id);
      try (ResultSet row = select.executeQuery()) {
        return row.next() ? Optional.of(row.getString(1)) : Optional.empty();
      }
    }
  }

  /** One child of an open or committed container: a unit or a case. */
  record Child(
      long serialId,
      String gtin,
      String serial,
      String lot,
      long lotId,
      String product,
      long caseId,
      String sscc,
      int units) {

    boolean isUnit() {
      return serialId > 0;
    }
  }

  private static final String UNIT_CHILD =
      "SELECT s.id, s.gtin, s.serial, l.lot, l.id, l.product, 0, NULL, 1 FROM serials s JOIN lots l ON l.id = s.lot_id ";
  private static final String CASE_CHILD =
      "SELECT 0, NULL, NULL, NULL, 0, k.product, k.id, k.sscc, k.units FROM containers k ";

  /** What a station's open case or pallet holds, in the order it was scanned. */
  static List<Child> open(Connection c, String station, Level level) throws SQLException {
    String sql =
        level == Level.CASE
            ? UNIT_CHILD
                + "JOIN station_open o ON o.serial_id = s.id WHERE o.station = ? AND o.level = 'case' ORDER BY o.id"
            : CASE_CHILD
                + "JOIN station_open o ON o.case_id = k.id WHERE o.station = ? AND o.level = 'pallet' ORDER BY o.id";
    try (PreparedStatement select = c.prepareStatement(sql)) {
      select.setString(1, station);
      return children(select);
    }
  }

  /** A container's children now ({@code removed} false) or those taken out by unpacking. */
  static List<Child> contents(Connection c, Ref container, boolean removed) throws SQLException {
    String where =
        " WHERE x.container_id = ? AND x.removed_at IS " + (removed ? "NOT NULL" : "NULL");
    String sql =
        container.level() == Level.CASE
            ? UNIT_CHILD
                + "JOIN container_contents x ON x.serial_id = s.id"
                + where
                + " ORDER BY x.id"
            : CASE_CHILD
                + "JOIN container_contents x ON x.case_id = k.id"
                + where
                + " ORDER BY x.id";
    try (PreparedStatement select = c.prepareStatement(sql)) {
      select.setLong(1, container.id());
      return children(select);
    }
  }

  static int openCount(Connection c, String station, Level level) throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement("SELECT count(*) FROM station_open WHERE station = ? AND level = ?")) {
      select.setString(1, station);
      select.setString(2, level.column());
      try (ResultSet row = select.executeQuery()) {
        row.next();
        return row.getInt(1);
      }
    }
  }

  static void addOpen(Connection tx, String station, Level level, long childId, Instant at)
      throws SQLException {
    try (PreparedStatement insert =
        tx.prepareStatement(
            "INSERT INTO station_open(station, level, "
                + (level == Level.CASE ? "serial_id" : "case_id")
                + ", added_at) VALUES(?, ?, ?, ?)")) {
      insert.setString(1, station);
      insert.setString(2, level.column());
      insert.setLong(3, childId);
      StoredTime.set(insert, 4, at);
      insert.executeUpdate();
    }
  }

  /** The station's open container becomes the committed container {@code sscc}; returns its id. */
  static long commit(
      Connection tx,
      String station,
      String line,
      Level level,
      String sscc,
      List<Child> children,
      String by,
      Instant at)
      throws SQLException {
    long id;
    try (PreparedStatement insert =
        tx.prepareStatement(
            "INSERT INTO containers(sscc, level, station, line, product, children, units, packed_at, packed_by) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id")) {
      insert.setString(1, sscc);
      insert.setString(2, level.column());
      insert.setString(3, station);
      insert.setString(4, line);
      insert.setString(5, children.get(0).product());
      insert.setInt(6, children.size());
      insert.setInt(7, children.stream().mapToInt(Child::units).sum());
      StoredTime.set(insert, 8, at);
      insert.setString(9, by);
      try (ResultSet row = insert.executeQuery()) {
        row.next();
        id = row.getLong(1);
      }
    }
    String column = level == Level.CASE ? "serial_id" : "case_id";
    try (PreparedStatement move =
            tx.prepareStatement(
                "INSERT INTO container_contents(container_id, "
                    + column
                    + ") SELECT ?, "
                    + column
                    + " FROM station_open WHERE station = ? AND level = ? ORDER BY id");
        PreparedStatement clear =
            tx.prepareStatement("DELETE FROM station_open WHERE station = ? AND level = ?")) {
      move.setLong(1, id);
      move.setString(2, station);
      move.setString(3, level.column());
      move.executeUpdate();
      clear.setString(1, station);
      clear.setString(2, level.column());
      clear.executeUpdate();
    }
    return id;
  }

  /** Frees the container's children; the rows stay, marked removed, for its history. */
  static void unpack(Connection tx, long id, String by, String reason, Instant at)
      throws SQLException {
    try (PreparedStatement contents =
            tx.prepareStatement(
                "UPDATE container_contents SET removed_at = ? WHERE container_id = ? AND removed_at IS NULL");
        PreparedStatement container =
            tx.prepareStatement(
                "UPDATE containers SET unpacked_at = ?, unpacked_by = ?, unpack_reason = ? WHERE id = ?")) {
      StoredTime.set(contents, 1, at);
      contents.setLong(2, id);
      contents.executeUpdate();
      StoredTime.set(container, 1, at);
      container.setString(2, by);
      container.setString(3, reason);
      container.setLong(4, id);
      container.executeUpdate();
    }
  }

  /** The lots of a container's units now, with how many units of each. */
  static List<LotCount> lots(Connection c, Ref container) throws SQLException {
    String units =
        container.level() == Level.CASE
            ? "SELECT serial_id FROM container_contents WHERE container_id = ?1 AND removed_at IS NULL"
            : "SELECT u.serial_id FROM container_contents p JOIN container_contents u"
                + " ON u.container_id = p.case_id AND u.removed_at IS NULL"
                + " WHERE p.container_id = ?1 AND p.removed_at IS NULL";
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT l.lot, l.status, count(*) FROM serials s JOIN lots l ON l.id = s.lot_id WHERE s.id IN ("
                + units
                + ") GROUP BY l.id ORDER BY l.id")) {
      select.setLong(1, container.id());
      List<LotCount> lots = new ArrayList<>();
      try (ResultSet row = select.executeQuery()) {
        while (row.next()) {
          lots.add(new LotCount(row.getString(1), row.getString(2), row.getInt(3)));
        }
      }
      return lots;
    }
  }

  record LotCount(String lot, String status, int units) {}

  /** When and by whom a container was packed and unpacked. */
  record Packed(Instant at, String by, Optional<String> unpackedBy, Optional<String> reason) {}

  static Packed packed(Connection c, long id) throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT packed_at, packed_by, unpacked_by, unpack_reason FROM containers WHERE id = ?")) {
      select.setLong(1, id);
      try (ResultSet row = select.executeQuery()) {
        row.next();
        return new Packed(
            StoredTime.get(row, "packed_at"),
            row.getString(2),
            Optional.ofNullable(row.getString(3)),
            Optional.ofNullable(row.getString(4)));
      }
    }
  }

  private static List<Child> children(PreparedStatement select) throws SQLException {
    List<Child> children = new ArrayList<>();
    try (ResultSet row = select.executeQuery()) {
      while (row.next()) {
        children.add(
            new Child(
                row.getLong(1),
                row.getString(2),
                row.getString(3),
                row.getString(4),
                row.getLong(5),
                row.getString(6),
                row.getLong(7),
                row.getString(8),
                row.getInt(9)));
      }
    }
    return children;
  }

  private static Optional<Ref> ref(Connection c, String sql, Object key) throws SQLException {
    try (PreparedStatement select = c.prepareStatement(sql)) {
      select.setObject(1, key);
      try (ResultSet row = select.executeQuery()) {
        if (!row.next()) {
          return Optional.empty();
        }
        return Optional.of(
            new Ref(
                row.getLong(1),
                row.getString(2),
                Level.of(row.getString(3)),
                row.getString(4),
                row.getString(5),
                row.getString(6),
                row.getInt(7),
                row.getObject(8) == null
                    ? Optional.empty()
                    : Optional.of(StoredTime.get(row, "unpacked_at"))));
      }
    }
  }
}
