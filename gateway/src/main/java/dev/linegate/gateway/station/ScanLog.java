package dev.linegate.gateway.station;

import dev.linegate.gateway.station.ScanResult.Verdict;
import dev.linegate.gateway.store.Page;
import dev.linegate.gateway.store.StoredTime;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The scans of every station, newest first, and the printed labels nobody has scanned yet. */
public final class ScanLog {

  /** A scan longer than this is kept cut: a stuck scanner cannot fill the disk. */
  static final int MAX_RAW = 4096;

  private static final String UNVERIFIED =
      "SELECT s.id, s.serial, s.gtin, l.lot, j.finished_at FROM lots l"
          + " JOIN serials s INDEXED BY serials_printed ON s.lot_id = l.id AND s.status = 'printed'"
          + " JOIN print_jobs j ON j.lot_id = l.id AND j.kind = 'unit' AND s.id >= j.first_serial AND s.id < j.first_serial + j.labels"
          + " WHERE l.line = ? AND j.finished_at < ?";

  private ScanLog() {}

  public static Page<ScanResult> list(
      Connection c,
      Optional<String> line,
      Optional<String> scanner,
      int limit,
      Optional<Long> before)
      throws SQLException {
    StringBuilder sql =
        new StringBuilder(
            "SELECT id, scanner, line, at, raw, verdict, reason, gtin, serial, lot FROM scans WHERE id < ?");
    List<String> args = new ArrayList<>();
    line.ifPresent(
        l -> {
          sql.append(" AND line = ?");
          args.add(l);
        });
    scanner.ifPresent(
        s -> {
          sql.append(" AND scanner = ?");
          args.add(s);
        });
    sql.append(" ORDER BY id DESC LIMIT ?");
    try (PreparedStatement select = c.prepareStatement(sql.toString())) {
      int i = 1;
      select.setLong(i++, before.orElse(Long.MAX_VALUE));
      for (String arg : args) {
        select.setString(i++, arg);
      }
      select.setInt(i, limit + 1);
      return Page.read(
          select,
          limit,
          row ->
              new ScanResult(
                  row.getLong("id"),
                  row.getString("scanner"),
                  Optional.ofNullable(row.getString("line")),
                  StoredTime.get(row, "at"),
                  row.getString("raw"),
                  Verdict.valueOf(row.getString("verdict").toUpperCase()),
                  row.getString("reason"),
                  Optional.ofNullable(row.getString("gtin")),
                  Optional.ofNullable(row.getString("serial")),
                  Optional.ofNullable(row.getString("lot"))));
    }
  }

  /**
   * Serials of the line whose label was printed before {@code cutoff} and that no station has
   * verified: a label that left the line unchecked. It walks the line's lots and, in each, the
   * index of printed serials, which verified serials leave; so it costs what the line's lots and
   * its unverified labels cost, not what all serials do.
   */
  public static Page<UnverifiedLabel> unverified(
      Connection c, String line, Instant cutoff, int limit, Optional<Long> after)
      throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement(UNVERIFIED + " AND s.id > ? ORDER BY s.id LIMIT ?")) {
      select.setString(1, line);
      StoredTime.set(select, 2, cutoff);
      select.setLong(3, after.orElse(0L));
      select.setInt(4, limit + 1);
      return Page.read(
          select,
          limit,
          row ->
              new UnverifiedLabel(
                  row.getString("serial"),
                  row.getString("gtin"),
                  row.getString("lot"),
                  StoredTime.get(row, "finished_at")));
    }
  }

  /** How many labels {@link #unverified} would list, counted up to {@code cap}. */
  public static long countUnverified(Connection c, String line, Instant cutoff, int cap)
      throws SQLException {
    try (PreparedStatement count =
        c.prepareStatement("SELECT count(*) FROM (" + UNVERIFIED + " LIMIT ?)")) {
      count.setString(1, line);
      StoredTime.set(count, 2, cutoff);
      count.setInt(3, cap);
      try (var row = count.executeQuery()) {
        row.next();
        return row.getLong(1);
      }
    }
  }

  public static int purgeOlderThan(Connection tx, Instant cutoff) throws SQLException {
    try (PreparedStatement delete = tx.prepareStatement("DELETE FROM scans WHERE at < ?")) {
      StoredTime.set(delete, 1, cutoff);
      return delete.executeUpdate();
    }
  }
}
