package dev.linegate.gateway.store;

import dev.linegate.connectors.ConnectorStatus;
import dev.linegate.gateway.core.CoreThread;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The only thread that writes to the database. Work queued while a commit is on disk is run
 * together in the next transaction (group commit): many batches share one fsync. None of the
 * results is released before the commit that makes it durable, and they are released in submission
 * order (MQTT wants its PUBACKs in order).
 *
 * <p>Two threads: {@code store-writer} runs the transactions and hands each committed group's
 * results to {@code store-released}, which completes the futures, and so runs what waits on them
 * (acknowledgments, logging, the live feed, the outbox's bookkeeping), while the writer already
 * runs the next group. At most {@link #RELEASE_BACKLOG} groups wait for release: a slow waiter
 * slows the writer instead of growing memory.
 *
 * <p>If either thread dies (an Error such as OutOfMemoryError), every write queued and every later
 * one fails at once, so nothing waits for ever and nothing more is acknowledged; the check {@code
 * store} turns DOWN and the {@link CoreThread.Fatal} given ends the process.
 */
public final class StoreWriter implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(StoreWriter.class);
  private static final int MAX_GROUP = 512;
  private static final int RELEASE_BACKLOG = 64;

  private record Pending<T>(Transaction<T> work, CompletableFuture<T> result) {}

  /** What becomes of one write once its transaction has ended: a result, or the failure. */
  private record Outcome(
      CompletableFuture<Object> result, @Nullable Object value, @Nullable Throwable failure) {
    void release() {
      try {
        if (failure == null) {
          result.complete(value);
        } else {
          result.completeExceptionally(failure);
        }
      } catch (RuntimeException e) {
        log.error("A post-commit action failed", e);
      }
    }
  }

  private final Connection connection;
  private final BlockingQueue<Pending<?>> queue;

  /** The writes of the transaction under way; touched only on the writer's thread. */
  private final List<Pending<?>> group = new ArrayList<>(MAX_GROUP);

  private final Instant startedAt = Instant.now();
  private final CoreThread thread;
  private final BlockingQueue<List<Outcome>> releases = new ArrayBlockingQueue<>(RELEASE_BACKLOG);
  private final CoreThread releaser;
  private volatile boolean running = true;
  private volatile boolean releasing = true;

  /** The thread has ended: every write still queued or submitted from now on fails. */
  private volatile boolean ended;

  /** What killed the thread, if it did not end by {@link #close()}. */
  private volatile @Nullable Throwable death;

  /** {@code fatal} hears of the writer thread's death, after every waiting write has failed. */
  public StoreWriter(Database database, int capacity, CoreThread.Fatal fatal) throws SQLException {
    this.connection = database.connect();
    this.queue = new LinkedBlockingQueue<>(capacity);
    this.releaser = CoreThread.start("store-released", this::release, this::releaserDied, fatal);
    this.thread = CoreThread.start("store-writer", this::run, this::died, fatal);
  }

  /**
   * Queues work for the next transaction. Blocks while the queue is full, which slows the sources
   * down instead of letting memory grow without bound.
   */
  public <T> CompletableFuture<T> submit(Transaction<T> work) {
    CompletableFuture<T> result = new CompletableFuture<>();
    if (ended || !running) {
      result.completeExceptionally(refusal());
      return result;
    }
    try {
      queue.put(new Pending<>(work, result));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      result.completeExceptionally(e);
    }
    if (ended) {
      // The thread ended while this was being queued, perhaps after its last look at the queue.
      failQueued();
    }
    return result;
  }

  /** {@code store} in /health: UP while the writer runs, DOWN with the cause once it has died. */
  public ConnectorStatus status() {
    return thread.status(
        releaser.status(
            new ConnectorStatus("store", ConnectorStatus.State.UP, "committing", startedAt, 0)));
  }

  /** A write that looks before it changes anything, and may refuse. */
  @FunctionalInterface
  public interface Decision<T> {
    T run(Connection tx) throws SQLException, Refused;
  }

  /**
   * Runs a write that may refuse and waits for its commit. A refusal comes back through the writer
   * as a value: thrown inside, it would roll back and replay the writer's whole group.
   */
  public <T> T decide(Decision<T> work) throws Refused, Exception {
    Object result =
        submit(
                tx -> {
                  try {
                    return (Object) work.run(tx);
                  } catch (Refused refused) {
                    return refused;
                  }
                })
            .get(30, TimeUnit.SECONDS);
    if (result instanceof Refused refused) {
      throw refused;
    }
    @SuppressWarnings("unchecked")
    T decided = (T) result;
    return decided;
  }

  public int queued() {
    return queue.size();
  }

  private void run() throws InterruptedException {
    while (running || !queue.isEmpty()) {
      Pending<?> first = queue.poll(100, TimeUnit.MILLISECONDS);
      if (first == null) {
        continue;
      }
      group.add(first);
      queue.drainTo(group, MAX_GROUP - 1);
      commit(group);
      group.clear();
    }
    // Set before the last look at the queue, so that a write queued after it is failed by its
    // submitter.
    ended = true;
    failQueued();
  }

  /** Completes the results of committed groups, a group at a time, in commit order. */
  private void release() throws InterruptedException {
    while (releasing || !releases.isEmpty()) {
      List<Outcome> outcomes = releases.poll(100, TimeUnit.MILLISECONDS);
      if (outcomes != null) {
        outcomes.forEach(Outcome::release);
      }
    }
  }

  /**
   * Committed but not released: told they failed, the sources deliver those signals again, and the
   * gateway knows them (a batch id is taken once). Nothing is committed from now on either.
   */
  private void releaserDied(Throwable cause) {
    death = cause;
    ended = true;
    for (List<Outcome> outcomes = releases.poll(); outcomes != null; outcomes = releases.poll()) {
      outcomes.forEach(outcome -> outcome.result().completeExceptionally(refusal()));
    }
  }

  /** Waits while the release thread is behind; a release thread that has died takes no more. */
  private void handOff(List<Outcome> outcomes) {
    try {
      while (!releases.offer(outcomes, 100, TimeUnit.MILLISECONDS)) {
        if (ended) {
          outcomes.forEach(outcome -> outcome.result().completeExceptionally(refusal()));
          return;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      outcomes.forEach(outcome -> outcome.result().completeExceptionally(e));
    }
  }

  /** After anything but close() ended the thread: nothing it held or will be given is committed. */
  private void died(Throwable cause) {
    death = cause;
    ended = true;
    rollbackQuietly();
    group.forEach(pending -> pending.result().completeExceptionally(refusal()));
    group.clear();
    failQueued();
  }

  private void failQueued() {
    for (Pending<?> pending = queue.poll(); pending != null; pending = queue.poll()) {
      pending.result().completeExceptionally(refusal());
    }
  }

  private IllegalStateException refusal() {
    Throwable cause = death;
    return cause == null
        ? new IllegalStateException("the store is closed")
        : new IllegalStateException("the store writer died: " + cause, cause);
  }

  /**
   * Runs the group in one transaction. Work that throws is rare (a bug, a full disk), so it is not
   * paid for with a savepoint per piece: the group is rolled back and replayed one piece per
   * transaction, so the failing piece fails alone.
   */
  private void commit(List<Pending<?>> group) {
    List<Object> results = new ArrayList<>(group.size());
    try {
      execute("BEGIN IMMEDIATE");
      for (Pending<?> pending : group) {
        results.add(pending.work().run(connection));
      }
      execute("COMMIT");
    } catch (SQLException | RuntimeException e) {
      rollbackQuietly();
      if (group.size() > 1) {
        log.warn(
            "A write in a group of {} failed ({}); committing them one by one",
            group.size(),
            e.getMessage());
        group.forEach(pending -> commit(List.of(pending)));
      } else {
        log.error("A write failed and is not acknowledged", e);
        handOff(List.of(outcome(group.get(0), null, e)));
      }
      return;
    }
    List<Outcome> outcomes = new ArrayList<>(group.size());
    for (int i = 0; i < group.size(); i++) {
      outcomes.add(outcome(group.get(i), results.get(i), null));
    }
    handOff(outcomes);
  }

  @SuppressWarnings("unchecked")
  private static Outcome outcome(
      Pending<?> pending, @Nullable Object value, @Nullable Throwable failure) {
    return new Outcome((CompletableFuture<Object>) pending.result(), value, failure);
  }

  private void execute(String sql) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }

  private void rollbackQuietly() {
    try {
      execute("ROLLBACK");
    } catch (SQLException e) {
      log.debug("Rollback after a failed commit: {}", e.getMessage());
    }
  }

  /** Finishes what is queued and releases its results, then closes the connection. */
  @Override
  public void close() {
    thread.stop(() -> running = false, Duration.ofSeconds(30));
    releaser.stop(() -> releasing = false, Duration.ofSeconds(30));
    try {
      connection.close();
    } catch (SQLException e) {
      log.warn("Closing the write connection: {}", e.getMessage());
    }
  }
}
