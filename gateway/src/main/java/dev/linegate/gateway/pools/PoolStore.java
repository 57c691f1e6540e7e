package dev.linegate.gateway.pools;

import dev.linegate.gateway.auth.Actor;
import dev.linegate.gateway.auth.AuditTrail;
import dev.linegate.gateway.config.ProductConfig.SerialSpec;
import dev.linegate.gateway.store.Refused;
import dev.linegate.gateway.store.Refused.Kind;
import dev.linegate.gateway.store.StoredTime;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * The pools' rows: serials received and not yet assigned, the requests that brought them (each
 * committed before it is sent, so that a restart asks again under the same id), returns and
 * suspended pools. Every method runs in the caller's transaction.
 */
public final class PoolStore {

  private PoolStore() {}

  /** A request not yet answered to its last page. */
  record OpenRequest(String requestId, int count) {}

  /** What a page brought: the serials kept, and why others were not. */
  record Received(int kept, List<String> refused) {}

  /**
   * Whether the pool holds at least {@code quantity} unassigned serials; how many it holds, up to
   * that: in the hot path of every batch, so it reads no more rows than the batch needs.
   */
  public static int unassignedUpTo(Connection c, String gtin, int quantity) throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT count(*) FROM (SELECT 1 FROM pool_serials WHERE gtin = ? AND lot_id IS NULL AND return_id IS NULL LIMIT ?)")) {
      select.setString(1, gtin);
      select.setInt(2, quantity);
      try (ResultSet row = select.executeQuery()) {
        return row.next() ? row.getInt(1) : 0;
      }
    }
  }

  public static int unassigned(Connection c, String gtin) throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT count(*) FROM pool_serials WHERE gtin = ? AND lot_id IS NULL AND return_id IS NULL")) {
      select.setString(1, gtin);
      try (ResultSet row = select.executeQuery()) {
        return row.next() ? row.getInt(1) : 0;
      }
    }
  }

  /**
   * Assigns the first {@code quantity} unassigned serials of the pool to the lot: they become the
   * lot's serials (consecutive rows, as for serials the gateway makes), in the order received. The
   * caller has checked that there are enough.
   */
  public static void take(
      Connection tx, String gtin, long lotId, int quantity, Consumer<String> issued)
      throws SQLException {
    long lastId = 0;
    try (PreparedStatement select =
            tx.prepareStatement(
                "SELECT id, serial FROM pool_serials WHERE gtin = ? AND lot_id IS NULL AND return_id IS NULL ORDER BY id LIMIT ?");
        PreparedStatement insert =
            tx.prepareStatement("INSERT INTO serials(gtin, serial, lot_id) VALUES(?, ?, ?)")) {
      select.setString(1, gtin);
      select.setInt(2, quantity);
      int taken = 0;
      try (ResultSet row = select.executeQuery()) {
        while (row.next()) {
          lastId = row.getLong(1);
          String serial = row.getString(2);
          insert.setString(1, gtin);
          insert.setString(2, serial);
          insert.setLong(3, lotId);
          insert.addBatch();
          issued.accept(serial);
          if (++taken % 10_000 == 0) {
            insert.executeBatch();
          }
        }
      }
      insert.executeBatch();
      if (taken < quantity) {
        throw new SQLException(
            "pool of GTIN "
                + gtin
                + " had "
                + taken
                + " serials, not the "
                + quantity
                + " checked");
      }
    }
    try (PreparedStatement update =
        tx.prepareStatement(
            "UPDATE pool_serials SET lot_id = ? WHERE gtin = ? AND lot_id IS NULL AND return_id IS NULL AND id <= ?")) {
      update.setLong(1, lotId);
      update.setString(2, gtin);
      update.setLong(3, lastId);
      update.executeUpdate();
    }
  }

  static Optional<OpenRequest> openRequest(Connection c, String gtin) throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT request_id, count FROM pool_requests WHERE gtin = ? AND finished_at IS NULL")) {
      select.setString(1, gtin);
      try (ResultSet row = select.executeQuery()) {
        return row.next()
            ? Optional.of(new OpenRequest(row.getString(1), row.getInt(2)))
            : Optional.empty();
      }
    }
  }

  static OpenRequest newRequest(Connection tx, String gtin, int count, Instant now)
      throws SQLException {
    String id = UUID.randomUUID().toString();
    try (PreparedStatement insert =
        tx.prepareStatement(
            "INSERT INTO pool_requests(request_id, gtin, count, created_at) VALUES(?, ?, ?, ?)")) {
      insert.setString(1, id);
      insert.setString(2, gtin);
      insert.setInt(3, count);
      StoredTime.set(insert, 4, now);
      insert.executeUpdate();
    }
    return new OpenRequest(id, count);
  }

  /**
   * Keeps a page's serials that fit the format and are new; the same serial again under the same
   * request (a page read again after a restart) is simply known. A serial the gateway already has
   * otherwise (from another request, or made locally) is refused and reported: the provider gave it
   * twice.
   */
  static Received receive(
      Connection tx, String requestId, String gtin, SerialSpec format, List<String> serials)
      throws SQLException {
    List<String> refused = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    int kept = 0;
    try (PreparedStatement known =
            tx.prepareStatement(
                "SELECT request_id FROM pool_serials WHERE gtin = ? AND serial = ?");
        PreparedStatement local =
            tx.prepareStatement("SELECT 1 FROM serials WHERE gtin = ? AND serial = ?");
        PreparedStatement insert =
            tx.prepareStatement(
                "INSERT INTO pool_serials(gtin, serial, request_id) VALUES(?, ?, ?)")) {
      for (String serial : serials) {
        Optional<String> wrong = misfit(serial, format);
        if (wrong.isPresent()) {
          refused.add(wrong.get());
          continue;
        }
        if (!seen.add(serial)) {
          refused.add(serial + ": twice in one page");
          continue;
        }
        known.setString(1, gtin);
        known.setString(2, serial);
        try (ResultSet row = known.executeQuery()) {
          if (row.next()) {
            if (!row.getString(1).equals(requestId)) {
              refused.add(serial + ": received before, in request " + row.getString(1));
            }
            continue;
          }
        }
        local.setString(1, gtin);
        local.setString(2, serial);
        try (ResultSet row = local.executeQuery()) {
          if (row.next()) {
            refused.add(serial + ": already issued by this gateway");
            continue;
          }
        }
        insert.setString(1, gtin);
        insert.setString(2, serial);
        insert.setString(3, requestId);
        insert.executeUpdate();
        kept++;
      }
    }
    try (PreparedStatement update =
        tx.prepareStatement(
            "UPDATE pool_requests SET received = received + ? WHERE request_id = ?")) {
      update.setInt(1, kept);
      update.setString(2, requestId);
      update.executeUpdate();
    }
    return new Received(kept, refused);
  }

  static void finish(Connection tx, String requestId, String status, Instant now)
      throws SQLException {
    try (PreparedStatement update =
        tx.prepareStatement(
            "UPDATE pool_requests SET finished_at = ?, status = ? WHERE request_id = ?")) {
      StoredTime.set(update, 1, now);
      update.setString(2, status);
      update.setString(3, requestId);
      update.executeUpdate();
    }
  }

  static final String USED_SINCE =
      "SELECT coalesce(sum(quantity), 0) FROM lots WHERE gtin = ? AND committed_at >= ?";

  /** Serials of the GTIN used by lots committed since {@code since}: the pool's current rate. */
  static long usedSince(Connection c, String gtin, Instant since) throws SQLException {
    try (PreparedStatement select = c.prepareStatement(USED_SINCE)) {
      select.setString(1, gtin);
      StoredTime.set(select, 2, since);
      try (ResultSet row = select.executeQuery()) {
        return row.next() ? row.getLong(1) : 0;
      }
    }
  }

  /** A return not yet accepted by the provider: its serials go in one request. */
  record OpenReturn(String returnId, String gtin, List<String> serials) {}

  static boolean suspended(Connection c, String gtin) throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement("SELECT 1 FROM pool_suspended WHERE gtin = ?")) {
      select.setString(1, gtin);
      try (ResultSet row = select.executeQuery()) {
        return row.next();
      }
    }
  }

  /**
   * Takes every unassigned serial of the pool out of it, to be given back to the provider, and
   * stops its refills until {@link #resume}. Returns how many.
   */
  public static int giveBack(Connection tx, String gtin, String reason, Actor by, Instant now)
      throws SQLException, Refused {
    if (suspended(tx, gtin)) {
      throw new Refused(
          Kind.CONFLICT,
          "already returned",
          "the pool of GTIN " + gtin + " is suspended; resume it first");
    }
    String returnId = UUID.randomUUID().toString();
    int count;
    try (PreparedStatement update =
        tx.prepareStatement(
            "UPDATE pool_serials SET return_id = ? WHERE gtin = ? AND lot_id IS NULL AND return_id IS NULL")) {
      update.setString(1, returnId);
      update.setString(2, gtin);
      count = update.executeUpdate();
    }
    try (PreparedStatement insert =
        tx.prepareStatement(
            "INSERT INTO pool_returns(return_id, gtin, count, reason, created_at) VALUES(?, ?, ?, ?, ?)")) {
      insert.setString(1, returnId);
      insert.setString(2, gtin);
      insert.setInt(3, count);
      insert.setString(4, reason);
      StoredTime.set(insert, 5, now);
      insert.executeUpdate();
    }
    try (PreparedStatement insert =
        tx.prepareStatement("INSERT INTO pool_suspended(gtin, since, reason) VALUES(?, ?, ?)")) {
      insert.setString(1, gtin);
      StoredTime.set(insert, 2, now);
      insert.setString(3, reason);
      insert.executeUpdate();
    }
    // A request still open is abandoned: what it would bring would go straight back.
    try (PreparedStatement update =
        tx.prepareStatement(
            "UPDATE pool_requests SET finished_at = ?, status = 'abandoned' WHERE gtin = ? AND finished_at IS NULL")) {
      StoredTime.set(update, 1, now);
      update.setString(2, gtin);
      update.executeUpdate();
    }
    AuditTrail.append(
        tx,
        by,
        "pool.return",
        "pool of GTIN " + gtin,
        Optional.of(count + " serials: " + reason),
        now);
    return count;
  }

  public static void resume(Connection tx, String gtin, Actor by, Instant now)
      throws SQLException, Refused {
    try (PreparedStatement delete =
        tx.prepareStatement("DELETE FROM pool_suspended WHERE gtin = ?")) {
      delete.setString(1, gtin);
      if (delete.executeUpdate() == 0) {
        throw new Refused(
            Kind.CONFLICT, "not suspended", "the pool of GTIN " + gtin + " is being kept filled");
      }
    }
    AuditTrail.append(tx, by, "pool.resume", "pool of GTIN " + gtin, Optional.empty(), now);
  }

  static List<OpenReturn> openReturns(Connection c) throws SQLException {
    List<OpenReturn> returns = new ArrayList<>();
    try (PreparedStatement select =
            c.prepareStatement(
                "SELECT return_id, gtin FROM pool_returns WHERE finished_at IS NULL");
        PreparedStatement serials =
            c.prepareStatement("SELECT serial FROM pool_serials WHERE return_id = ? ORDER BY id");
        ResultSet row = select.executeQuery()) {
      while (row.next()) {
        List<String> given = new ArrayList<>();
        serials.setString(1, row.getString(1));
        try (ResultSet serial = serials.executeQuery()) {
          while (serial.next()) {
            given.add(serial.getString(1));
          }
        }
        returns.add(new OpenReturn(row.getString(1), row.getString(2), given));
      }
    }
    return returns;
  }

  static void returned(Connection tx, String returnId, int returned, Instant now)
      throws SQLException {
    try (PreparedStatement update =
        tx.prepareStatement(
            "UPDATE pool_returns SET finished_at = ?, returned = ? WHERE return_id = ?")) {
      StoredTime.set(update, 1, now);
      update.setInt(2, returned);
      update.setString(3, returnId);
      update.executeUpdate();
    }
  }

  private static Optional<String> misfit(String serial, SerialSpec format) {
    if (serial.length() != format.length()) {
      return Optional.of(serial + ": " + serial.length() + " characters, not " + format.length());
    }
    String allowed = format.alphabet().characters();
    for (int i = 0; i < serial.length(); i++) {
      if (allowed.indexOf(serial.charAt(i)) < 0) {
        return Optional.of(serial + ": '" + serial.charAt(i) + "' is not in the alphabet");
      }
    }
    return Optional.empty();
  }
}
