package dev.linegate.gateway.store;

import dev.linegate.gateway.core.CoreThread;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;

/**
 * A real SQLite file in a test's directory with its writer and one reader, for tests of what a
 * feature's SQL does inside the writer's transaction.
 */
public final class TestStore implements AutoCloseable {

  private final StoreWriter writer;
  private final ReadPool reads;

  public TestStore(Path dir) throws Exception {
    Database database = Database.open(dir);
    this.writer = new StoreWriter(database, 100, CoreThread.Fatal.NONE);
    this.reads = new ReadPool(database, 1);
  }

  public StoreWriter writer() {
    return writer;
  }

  public ReadPool reads() {
    return reads;
  }

  /** Runs {@code work} in a transaction of the writer and waits for its commit. */
  public <T> T write(Transaction<T> work) throws Exception {
    return writer.submit(work).get(10, TimeUnit.SECONDS);
  }

  /** The first column of the first row of {@code query}, as text. */
  public String text(String query) throws SQLException {
    return reads.read(
        c -> {
          try (Statement sql = c.createStatement();
              ResultSet row = sql.executeQuery(query)) {
            row.next();
            return row.getString(1);
          }
        });
  }

  @Override
  public void close() throws SQLException {
    try {
      reads.close();
    } finally {
      writer.close();
    }
  }
}
