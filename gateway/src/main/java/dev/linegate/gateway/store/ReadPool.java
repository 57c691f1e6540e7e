package dev.linegate.gateway.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/** Read-only connections for the API and the outbox; WAL lets them read beside the writer. */
public final class ReadPool implements AutoCloseable {

  private final BlockingQueue<Connection> idle;

  public ReadPool(Database database, int size) throws SQLException {
    idle = new ArrayBlockingQueue<>(size);
    for (int i = 0; i < size; i++) {
      Connection connection = database.connect();
      try (var statement = connection.createStatement()) {
        statement.execute("PRAGMA query_only = true");
      }
      idle.add(connection);
    }
  }

  public <T> T read(Transaction<T> query) throws SQLException {
    Connection connection;
    try {
      connection = idle.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SQLException("interrupted while waiting for a read connection", e);
    }
    try {
      return query.run(connection);
    } finally {
      idle.add(connection);
    }
  }

  @Override
  public void close() throws SQLException {
    for (Connection connection : idle) {
      connection.close();
    }
  }
}
