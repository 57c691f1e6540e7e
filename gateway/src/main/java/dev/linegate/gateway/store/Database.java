package dev.linegate.gateway.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The one SQLite file that holds all of Linegate's state ({@code dataDir/linegate.db}). WAL lets
 * readers read while the single writer writes; synchronous=FULL makes every commit survive power
 * loss, not only a process crash, and group commit pays for it.
 */
public final class Database {

  public static final String FILE_NAME = "linegate.db";

  private final String url;

  private Database(Path file) {
    this.url = "jdbc:sqlite:" + file.toAbsolutePath();
  }

  /** Creates the file if needed and brings its schema up to date. */
  public static Database open(Path dataDir) throws SQLException, IOException {
    Files.createDirectories(dataDir);
    Database database = new Database(dataDir.resolve(FILE_NAME));
    try (Connection connection = database.connect()) {
      try (Statement statement = connection.createStatement()) {
        statement.execute("PRAGMA journal_mode = WAL");
      }
      Schema.apply(connection);
    }
    return database;
  }

  Connection connect() throws SQLException {
    Connection connection = DriverManager.getConnection(url);
    try (Statement statement = connection.createStatement()) {
      statement.execute("PRAGMA synchronous = FULL");
      statement.execute("PRAGMA busy_timeout = 10000");
      statement.execute("PRAGMA foreign_keys = ON");
      // Checkpoint every ~40 MB of WAL instead of 4 MB: index pages touched again and again between
      // checkpoints are copied to the database once, not each time.
      statement.execute("PRAGMA wal_autocheckpoint = 10000");
    }
    return connection;
  }
}
