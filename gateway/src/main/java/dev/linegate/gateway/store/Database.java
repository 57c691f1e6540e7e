package dev.linegate.gateway.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteException;

/**
 * The one SQLite file that holds all of Linegate's state ({@code dataDir/linegate.db}). WAL lets
 * readers read while the single writer writes; synchronous=FULL makes every commit survive power
 * loss, not only a process crash, and group commit pays for it.
 */
public final class Database {

  public static final String FILE_NAME = "linegate.db";

  /**
   * What the WAL is cut back to when it starts over: above what the writer's auto-checkpoint lets
   * it reach (~40 MB), so that it is not cut and grown again every cycle, but a WAL that a long
   * reader let grow does not keep its size for ever.
   */
  private static final long JOURNAL_SIZE_LIMIT = 64L << 20;

  /**
   * How long a checkpoint waits for readers: while it waits it holds the write lock, so this is how
   * long it may hold up the store writer.
   */
  private static final int CHECKPOINT_PATIENCE_MS = 200;

  /** What a checkpoint did: whether the WAL could be emptied, and its size after. */
  public record Checkpoint(boolean truncated, long walBytes) {}

  private final Path file;
  private final String url;

  private Database(Path file) {
    this.file = file;
    this.url = "jdbc:sqlite:" + file;
  }

  /** Where the database of {@code dataDir} is, as messages name it. */
  public static Path fileIn(Path dataDir) {
    return dataDir.resolve(FILE_NAME).toAbsolutePath().normalize();
  }

  /**
   * Creates the file if needed, checks it (quick_check) and brings its schema up to date. A damaged
   * database is refused before anything is written to it.
   */
  public static Database open(Path dataDir) throws SQLException, IOException, DamagedDatabase {
    Files.createDirectories(dataDir);
    Database database = new Database(fileIn(dataDir));
    try (Connection connection = database.connect()) {
      try (Statement statement = connection.createStatement()) {
        statement.execute("PRAGMA journal_mode = WAL");
      }
      DatabaseCheck.quick(connection, database.file);
      Schema.apply(connection);
    } catch (SQLiteException e) {
      throw DatabaseCheck.damagedOr(e, database.file, "found when opening it");
    }
    return database;
  }

  /**
   * A read-only connection to the database of {@code dataDir}, for the commands that run beside a
   * gateway (backup, check-db): it neither creates nor changes the database.
   */
  public static Connection readOnly(Path dataDir) throws SQLException, NoSuchFileException {
    Path file = fileIn(dataDir);
    if (!Files.isRegularFile(file)) {
      throw new NoSuchFileException(file.toString(), null, "no database");
    }
    return readOnlyFile(file);
  }

  static Connection readOnlyFile(Path file) throws SQLException {
    SQLiteConfig config = new SQLiteConfig();
    config.setReadOnly(true);
    config.setBusyTimeout(10_000);
    return config.createConnection("jdbc:sqlite:" + file.toAbsolutePath());
  }

  public Path file() {
    return file;
  }

  /** The size of the write-ahead log now (0 when there is none). */
  public long walBytes() {
    try {
      return Files.size(file.resolveSibling(file.getFileName() + "-wal"));
    } catch (IOException e) {
      return 0;
    }
  }

  /**
   * Copies the WAL into the database and empties it, if no reader still needs it. The writer's
   * auto-checkpoint cannot start the WAL over while a reader holds an old snapshot (a backup, a
   * long API read), so the WAL can grow past any bound; this, run now and then, brings it back.
   * PASSIVE first, which blocks nobody, so that TRUNCATE, which holds the write lock, has little
   * left to copy; a reader still active makes TRUNCATE give up after {@link
   * #CHECKPOINT_PATIENCE_MS} instead of waiting on.
   */
  public Checkpoint checkpoint() throws SQLException {
    try (Connection connection = DriverManager.getConnection(url);
        Statement statement = connection.createStatement()) {
      statement.execute("PRAGMA busy_timeout = " + CHECKPOINT_PATIENCE_MS);
      statement.executeQuery("PRAGMA wal_checkpoint(PASSIVE)").close();
      try (ResultSet truncate = statement.executeQuery("PRAGMA wal_checkpoint(TRUNCATE)")) {
        // Columns: busy (1 if readers or the writer kept it from finishing), frames in the WAL,
        // frames copied.
        return new Checkpoint(truncate.getInt(1) == 0, walBytes());
      }
    }
  }

  /**
   * One write on a connection of its own, for the commands that change the database beside a
   * running gateway (users, tokens). IMMEDIATE takes the write lock first, so the gateway's writer
   * and the command wait for each other (busy_timeout) instead of one of them failing half-way.
   */
  public <T> T writeBeside(StoreWriter.Decision<T> work) throws SQLException, Refused {
    try (Connection connection = connect();
        Statement statement = connection.createStatement()) {
      statement.execute("BEGIN IMMEDIATE");
      try {
        T result = work.run(connection);
        statement.execute("COMMIT");
        return result;
      } catch (SQLException | Refused | RuntimeException e) {
        statement.execute("ROLLBACK");
        throw e;
      }
    }
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
      statement.execute("PRAGMA journal_size_limit = " + JOURNAL_SIZE_LIMIT);
    }
    return connection;
  }
}
