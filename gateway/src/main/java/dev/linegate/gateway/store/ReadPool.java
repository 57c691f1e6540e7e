package dev.linegate.gateway.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Read-only connections; WAL lets them read beside the writer. The gateway has two pools, so that
 * the API (any client on the network) cannot take the connections that printers, the outbox and
 * housekeeping need. Nobody waits for a connection without bound: what happens after {@code
 * maxWait} depends on the pool's users ({@link WhenBusy}).
 */
public final class ReadPool implements AutoCloseable {

  /** What a reader does when every connection stayed busy for {@code maxWait}. */
  public enum WhenBusy {
    /** Gives up with {@link Busy}: a client can ask again (the API answers 503). */
    FAIL,
    /** Says so in the log and waits on: the gateway's own work must get done. */
    WAIT
  }

  /** Every connection of the pool stayed busy for as long as a reader may wait. */
  public static final class Busy extends SQLException {
    Busy(String message) {
      super(message);
    }
  }

  private static final Logger log = LoggerFactory.getLogger(ReadPool.class);

  private final String name;
  private final int size;
  private final Duration maxWait;
  private final WhenBusy whenBusy;
  private final BlockingQueue<Connection> idle;

  /** For the gateway's own readers: they wait, and a wait of more than ten seconds is logged. */
  public ReadPool(Database database, int size) throws SQLException {
    this(database, "internal", size, Duration.ofSeconds(10), WhenBusy.WAIT);
  }

  /** {@code name} says whose connections these are in the log, e.g. "api". */
  public ReadPool(Database database, String name, int size, Duration maxWait, WhenBusy whenBusy)
      throws SQLException {
    this.name = name;
    this.size = size;
    this.maxWait = maxWait;
    this.whenBusy = whenBusy;
    this.idle = new ArrayBlockingQueue<>(size);
    for (int i = 0; i < size; i++) {
      Connection connection = database.connect();
      try (var statement = connection.createStatement()) {
        statement.execute("PRAGMA query_only = true");
      }
      idle.add(connection);
    }
  }

  public int size() {
    return size;
  }

  public <T> T read(Query<T> query) throws SQLException {
    Connection connection = take();
    try {
      return query.run(connection);
    } finally {
      idle.add(connection);
    }
  }

  private Connection take() throws SQLException {
    try {
      for (long waited = maxWait.toMillis(); ; waited += maxWait.toMillis()) {
        Connection connection = idle.poll(maxWait.toMillis(), TimeUnit.MILLISECONDS);
        if (connection != null) {
          return connection;
        }
        if (whenBusy == WhenBusy.FAIL) {
          throw new Busy(
              "all "
                  + size
                  + " "
                  + name
                  + " read connections stayed busy for "
                  + maxWait.toMillis()
                  + " ms");
        }
        log.warn(
            "All {} {} read connections have been busy for {} s (a slow query?); still waiting",
            size,
            name,
            waited / 1000);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SQLException("interrupted while waiting for a read connection", e);
    }
  }

  @Override
  public void close() throws SQLException {
    for (Connection connection : idle) {
      connection.close();
    }
  }
}
