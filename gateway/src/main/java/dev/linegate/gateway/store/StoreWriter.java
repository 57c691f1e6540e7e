package dev.linegate.gateway.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The only thread that writes to the database. Work queued while a commit is on disk is run
 * together in the next transaction (group commit): many batches share one fsync. Each piece runs
 * in its own savepoint, so one that fails is undone alone; none of their results is released
 * before the commit that makes it durable, and they are released in submission order (MQTT wants
 * its PUBACKs in order).
 */
public final class StoreWriter implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(StoreWriter.class);
  private static final int MAX_GROUP = 512;

  private record Pending<T>(Transaction<T> work, CompletableFuture<T> result) {}

  private final Connection connection;
  private final BlockingQueue<Pending<?>> queue;
  private final Thread thread;
  private volatile boolean running = true;

  public StoreWriter(Database database, int capacity) throws SQLException {
    this.connection = database.connect();
    this.queue = new LinkedBlockingQueue<>(capacity);
    this.thread = new Thread(this::run, "store-writer");
    thread.start();
  }

  /**
   * Queues work for the next transaction. Blocks while the queue is full, which slows the sources
   * down instead of letting memory grow without bound.
   */
  public <T> CompletableFuture<T> submit(Transaction<T> work) {
    CompletableFuture<T> result = new CompletableFuture<>();
    if (!running) {
      result.completeExceptionally(new IllegalStateException("the store is closed"));
      return result;
    }
    try {
      queue.put(new Pending<>(work, result));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      result.completeExceptionally(e);
    }
    return result;
  }

  public int queued() {
    return queue.size();
  }

  private void run() {
    List<Pending<?>> group = new ArrayList<>(MAX_GROUP);
    while (running || !queue.isEmpty()) {
      try {
        Pending<?> first = queue.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        group.add(first);
        queue.drainTo(group, MAX_GROUP - 1);
        commit(group);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      } finally {
        group.clear();
      }
    }
  }

  private void commit(List<Pending<?>> group) {
    List<Object> results = new ArrayList<>(group.size());
    try (Statement statement = connection.createStatement()) {
      statement.execute("BEGIN IMMEDIATE");
      for (Pending<?> pending : group) {
        results.add(runInSavepoint(statement, pending));
      }
      statement.execute("COMMIT");
    } catch (SQLException | RuntimeException e) {
      log.error("Commit of {} writes failed; none of them is acknowledged", group.size(), e);
      rollbackQuietly();
      group.forEach(p -> p.result().completeExceptionally(e));
      return;
    }
    for (int i = 0; i < group.size(); i++) {
      release(group.get(i), results.get(i));
    }
  }

  private Object runInSavepoint(Statement statement, Pending<?> pending) throws SQLException {
    statement.execute("SAVEPOINT work");
    try {
      Object result = pending.work().run(connection);
      statement.execute("RELEASE work");
      return result;
    } catch (SQLException | RuntimeException e) {
      statement.execute("ROLLBACK TO work");
      statement.execute("RELEASE work");
      return new Failure(e);
    }
  }

  private record Failure(Exception cause) {}

  @SuppressWarnings("unchecked")
  private static <T> void release(Pending<T> pending, Object result) {
    if (result instanceof Failure failure) {
      pending.result().completeExceptionally(failure.cause());
    } else {
      try {
        pending.result().complete((T) result);
      } catch (RuntimeException e) {
        log.error("A post-commit action failed", e);
      }
    }
  }

  private void rollbackQuietly() {
    try (Statement statement = connection.createStatement()) {
      statement.execute("ROLLBACK");
    } catch (SQLException e) {
      log.debug("Rollback after a failed commit: {}", e.getMessage());
    }
  }

  /** Finishes what is queued, then closes the connection. */
  @Override
  public void close() {
    running = false;
    try {
      thread.join(30_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      connection.close();
    } catch (SQLException e) {
      log.warn("Closing the write connection: {}", e.getMessage());
    }
  }
}
