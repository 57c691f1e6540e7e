package dev.linegate.gateway.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * SQLite's checks of the database file: {@code quick_check} at every start (every page and record,
 * without comparing indexes with their tables, so a start on a large database stays short), the
 * full {@code integrity_check} and {@code foreign_key_check} for {@code check-db}.
 */
public final class DatabaseCheck {

  /** What a full check found in a sound database. */
  public record Sound(Path file, long bytes, long lots) {}

  private DatabaseCheck() {}

  static void quick(Connection connection, Path file) throws SQLException, DamagedDatabase {
    List<String> findings = findings(connection, "PRAGMA quick_check");
    if (!findings.equals(List.of("ok"))) {
      throw new DamagedDatabase(file, "quick_check", findings);
    }
  }

  /** The full check, on a read-only connection: it may run while the gateway runs. */
  public static Sound full(Path dataDir) throws SQLException, NoSuchFileException, DamagedDatabase {
    Path file = Database.fileIn(dataDir);
    try (Connection connection = Database.readOnly(dataDir)) {
      return full(connection, file);
    } catch (SQLiteException e) {
      throw damagedOr(e, file, "integrity_check");
    }
  }

  /**
   * Checks the database on {@code connection} (the gateway's, or a backup's copy) and counts its
   * lots.
   */
  static Sound full(Connection connection, Path file) throws SQLException, DamagedDatabase {
    List<String> findings = findings(connection, "PRAGMA integrity_check");
    if (!findings.equals(List.of("ok"))) {
      throw new DamagedDatabase(file, "integrity_check", findings);
    }
    List<String> orphans = new ArrayList<>();
    try (Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("PRAGMA foreign_key_check")) {
      while (rows.next()) {
        orphans.add(
            rows.getString("table")
                + " row "
                + rows.getLong("rowid")
                + " refers to a missing row of "
                + rows.getString("parent"));
      }
    }
    if (!orphans.isEmpty()) {
      throw new DamagedDatabase(file, "foreign_key_check", orphans);
    }
    try (Statement statement = connection.createStatement();
        ResultSet lots = statement.executeQuery("SELECT count(*) FROM lots")) {
      return new Sound(file, Files.size(file), lots.getLong(1));
    } catch (IOException e) {
      throw new SQLException("cannot read the size of " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * SQLite may find the damage before any check can run (a page it needs to open the file, the
   * schema): that is a damaged database as well, not a failure of the gateway.
   */
  static SQLException damagedOr(SQLiteException e, Path file, String doing) throws DamagedDatabase {
    if (isDamage(e)) {
      throw new DamagedDatabase(file, doing, List.of(e.getMessage()));
    }
    return e;
  }

  /**
   * What a check reports; a check can also stop on the damage it reports, which is one more
   * finding.
   */
  private static List<String> findings(Connection connection, String pragma) throws SQLException {
    List<String> findings = new ArrayList<>();
    try (Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery(pragma)) {
      while (result.next()) {
        findings.add(result.getString(1));
      }
    } catch (SQLiteException e) {
      if (!isDamage(e)) {
        throw e;
      }
      findings.add("the check stopped: " + e.getMessage());
    }
    return findings;
  }

  private static boolean isDamage(SQLiteException e) {
    // Extended codes (SQLITE_CORRUPT_INDEX...) carry the primary code in their low byte.
    int primary = e.getResultCode().code & 0xff;
    return primary == SQLiteErrorCode.SQLITE_CORRUPT.code
        || primary == SQLiteErrorCode.SQLITE_NOTADB.code;
  }
}
