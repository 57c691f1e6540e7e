package dev.linegate.gateway.outbox;

import dev.linegate.gateway.store.StoreWriter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Writes what became of each delivery attempt back to the outbox. Attempts that finish while a
 * write is queued join it, so a busy outbox costs the store writer one piece of work per commit,
 * not one per event.
 */
final class AttemptLog {

  /**
   * One attempt at event {@code id}, its {@code attempts}-th, finished at {@code at}; if it is to
   * be retried, not before {@code retryAt}.
   */
  record Attempt(long id, int attempts, DeliveryResult result, long at, long retryAt) {}

  /** An attempt as committed, with the event's creation time (for the latency metric). */
  record Recorded(Attempt attempt, long createdAt) {}

  /** Told, after the commit, what was recorded; or which attempts could not be. */
  interface Listener {
    void recorded(List<Recorded> recorded);

    void notRecorded(List<Attempt> attempts, Throwable cause);
  }

  private static final String DELIVERED =
      "UPDATE outbox SET state = 'delivered', attempts = attempts + 1, delivered_at = ?, last_error = NULL WHERE id = ? RETURNING created_at";
  private static final String DEAD =
      "UPDATE outbox SET state = 'dead', attempts = attempts + 1, next_attempt_at = ?, last_error = ? WHERE id = ? RETURNING created_at";
  private static final String RETRY =
      "UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ?, last_error = ? WHERE id = ? RETURNING created_at";

  private final StoreWriter writer;
  private final Listener listener;
  private final Queue<Attempt> waiting = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean writeQueued = new AtomicBoolean();

  AttemptLog(StoreWriter writer, Listener listener) {
    this.writer = writer;
    this.listener = listener;
  }

  void add(Attempt attempt) {
    waiting.add(attempt);
    if (writeQueued.compareAndSet(false, true)) {
      List<Attempt> taken = new ArrayList<>();
      writer
          .submit(tx -> write(tx, taken))
          .whenComplete(
              (recorded, failure) -> {
                if (failure == null) {
                  listener.recorded(recorded);
                } else {
                  listener.notRecorded(taken, failure);
                }
              });
    }
  }

  /**
   * Runs in the writer: takes every attempt waiting now; later ones queue the next write. It may
   * run again (see {@link dev.linegate.gateway.store.Transaction}): the attempts taken by a run
   * that was rolled back stay taken and are written by the next run, with any that came since.
   */
  private List<Recorded> write(Connection tx, List<Attempt> taken) throws SQLException {
    writeQueued.set(false);
    for (Attempt attempt; (attempt = waiting.poll()) != null; ) {
      taken.add(attempt);
    }
    List<Recorded> recorded = new ArrayList<>(taken.size());
    try (PreparedStatement delivered = tx.prepareStatement(DELIVERED);
        PreparedStatement dead = tx.prepareStatement(DEAD);
        PreparedStatement retry = tx.prepareStatement(RETRY)) {
      for (Attempt attempt : taken) {
        PreparedStatement update;
        if (attempt.result() instanceof DeliveryResult.Delivered) {
          update = delivered;
          update.setLong(1, attempt.at());
          update.setLong(2, attempt.id());
        } else {
          boolean isDead = attempt.result() instanceof DeliveryResult.Dead;
          update = isDead ? dead : retry;
          update.setLong(1, isDead ? attempt.at() : attempt.retryAt());
          update.setString(2, reason(attempt.result()));
          update.setLong(3, attempt.id());
        }
        try (ResultSet row = update.executeQuery()) {
          row.next();
          recorded.add(new Recorded(attempt, row.getLong(1)));
        }
      }
    }
    return recorded;
  }

  private static String reason(DeliveryResult result) {
    if (result instanceof DeliveryResult.Retry retry) {
      return retry.reason();
    }
    return result instanceof DeliveryResult.Dead dead ? dead.reason() : "";
  }
}
