package dev.linegate.gateway.numbering;

import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Named counters kept in the database and moved only inside the writer's transaction: a number
 * handed out is committed together with what it numbers, so a crash cannot hand it out again.
 *
 * <p>A database put back from a backup has forgotten the numbers issued after the backup, so the
 * counters are also kept, as reservations, in the {@link HighWater} record beside it: before a
 * counter passes its reservation, the reservation is raised by a step and the record rewritten,
 * inside the transaction and so before the commit. The record is therefore never below the
 * database, and it is written once per step, not per batch. At start a database that has not caught
 * up with the record (restored, or not stopped cleanly) has its counters moved to their
 * reservations.
 *
 * <p>The database remembers the record's generation only when the gateway stops cleanly: while it
 * runs, the record is ahead. A backup taken at any moment, even without a reservation raised since,
 * is therefore behind the record when it is put back.
 *
 * <p>Used only on the store writer's thread.
 */
public final class Counters {

  private static final Logger log = LoggerFactory.getLogger(Counters.class);
  private static final String GENERATION = "highwater.generation";
  private static final String SERIAL_KEY = "serials.key";

  private final Path file;
  private HighWater record;

  private Counters(Path file, HighWater record) {
    this.file = file;
    this.record = record;
  }

  /**
   * Applies the record of {@code dataDir} to the database in the writer's transaction {@code tx}
   * (see the class comment) and writes it anew.
   *
   * @throws SQLException also if the record cannot be read or written
   * @throws IllegalStateException if the record holds another database's serial key
   */
  public static Counters open(Connection tx, Path dataDir) throws SQLException {
    Path file = dataDir.resolve(HighWater.FILE_NAME);
    try {
      return open(tx, file, HighWater.read(file));
    } catch (IOException e) {
      throw new SQLException(e.getMessage(), e);
    }
  }

  private static Counters open(Connection tx, Path file, Optional<HighWater> found)
      throws SQLException, IOException {
    Map<String, Long> counters = all(tx);
    Optional<byte[]> databaseKey = setting(tx, SERIAL_KEY).map(value -> (byte[]) value);
    Optional<Long> generation = setting(tx, GENERATION).map(value -> ((Number) value).longValue());
    long caughtUp = generation.orElse(0L);
    Map<String, Long> reservations = new TreeMap<>(counters);
    byte[] key;
    if (found.isEmpty()) {
      if (generation.isPresent()) {
        log.warn(
            "{} is missing: written anew from the database. If the database was put back from a backup, numbers issued after that backup can be issued again (see \"Restore\" in the README)",
            file);
      } else if (!counters.isEmpty()) {
        log.info(
            "{} written from the database: it is the first start of a Linegate that keeps one",
            file);
      }
      key = databaseKey.orElseGet(Counters::newKey);
    } else {
      HighWater kept = found.get();
      key = kept.serialKey();
      if (databaseKey.isPresent() && !Arrays.equals(databaseKey.get(), key)) {
        throw new IllegalStateException(
            file
                + " belongs to another database (its serial key differs): put back this database's own record, or see \"Restore\" in the README");
      }
      if (kept.generation() > caughtUp) {
        for (Map.Entry<String, Long> reserved : kept.reservations().entrySet()) {
          moveUp(
              tx,
              reserved.getKey(),
              counters.getOrDefault(reserved.getKey(), 0L),
              reserved.getValue());
        }
      } else if (kept.generation() < caughtUp) {
        log.warn(
            "{} is older than the database (generation {}, the database has seen {}): written anew from the database",
            file,
            kept.generation(),
            caughtUp);
      }
      kept.reservations()
          .forEach((counter, reserved) -> reservations.merge(counter, reserved, Math::max));
      caughtUp = Math.max(caughtUp, kept.generation());
    }
    if (databaseKey.isEmpty()) {
      putSetting(tx, SERIAL_KEY, key);
    }
    putSetting(tx, GENERATION, caughtUp);
    HighWater running = new HighWater(caughtUp + 1, key, reservations);
    running.write(file);
    return new Counters(file, running);
  }

  private static void moveUp(Connection tx, String counter, long at, long reserved)
      throws SQLException {
    if (at >= reserved) {
      return;
    }
    upsert(tx, counter, reserved);
    log.warn(
        "counter {} moved from {} to {}: the database is older than the numbers this gateway has issued (restored from a backup, or not stopped cleanly?)",
        counter,
        at,
        reserved);
  }

  /**
   * In the writer's last transaction: the database has caught up with the record; returns its
   * generation.
   */
  public long recordStopped(Connection tx) throws SQLException {
    putSetting(tx, GENERATION, record.generation());
    return record.generation();
  }

  /**
   * The key of the serial permutation: made once, kept in the database and the record, never
   * logged.
   */
  byte[] serialKey() {
    return record.serialKey();
  }

  long current(Connection tx, String name) throws SQLException {
    try (PreparedStatement select =
        tx.prepareStatement("SELECT value FROM counters WHERE name = ?")) {
      select.setString(1, name);
      try (ResultSet row = select.executeQuery()) {
        return row.next() ? row.getLong(1) : 0;
      }
    }
  }

  /**
   * The single place a counter moves. Past its reservation, the reservation is raised to {@code
   * value + step} and the record written before the caller's transaction commits; a record that
   * cannot be written fails the transaction, so no number is issued that the record does not cover.
   */
  void set(Connection tx, String name, long value, long step) throws SQLException {
    upsert(tx, name, value);
    if (value > record.reservation(name)) {
      HighWater raised = record.reserve(name, value + step);
      try {
        raised.write(file);
      } catch (IOException e) {
        throw new SQLException("cannot write " + file + ": " + e.getMessage(), e);
      }
      record = raised;
    }
  }

  /**
   * A step of {@code wanted}, bounded to a hundredth of the counter's range: a short range is not
   * spent on a reservation that a restore would skip.
   */
  static long step(long wanted, long limit) {
    return Math.min(wanted, Math.max(1, limit / 100));
  }

  private static void upsert(Connection tx, String name, long value) throws SQLException {
    try (PreparedStatement upsert =
        tx.prepareStatement(
            "INSERT INTO counters(name, value) VALUES(?, ?) ON CONFLICT(name) DO UPDATE SET value = excluded.value")) {
      upsert.setString(1, name);
      upsert.setLong(2, value);
      upsert.executeUpdate();
    }
  }

  private static Map<String, Long> all(Connection tx) throws SQLException {
    Map<String, Long> counters = new TreeMap<>();
    try (PreparedStatement select = tx.prepareStatement("SELECT name, value FROM counters");
        ResultSet row = select.executeQuery()) {
      while (row.next()) {
        counters.put(row.getString(1), row.getLong(2));
      }
    }
    return counters;
  }

  private static Optional<Object> setting(Connection tx, String name) throws SQLException {
    try (PreparedStatement select =
        tx.prepareStatement("SELECT value FROM settings WHERE name = ?")) {
      select.setString(1, name);
      try (ResultSet row = select.executeQuery()) {
        return row.next() ? Optional.of(row.getObject(1)) : Optional.empty();
      }
    }
  }

  private static void putSetting(Connection tx, String name, Object value) throws SQLException {
    try (PreparedStatement upsert =
        tx.prepareStatement(
            "INSERT INTO settings(name, value) VALUES(?, ?) ON CONFLICT(name) DO UPDATE SET value = excluded.value")) {
      upsert.setString(1, name);
      upsert.setObject(2, value);
      upsert.executeUpdate();
    }
  }

  private static byte[] newKey() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return key;
  }
}
