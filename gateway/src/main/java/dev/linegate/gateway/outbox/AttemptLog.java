package dev.linegate.gateway.outbox;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The SQL that writes what became of delivery attempts back to the outbox: one call per commit for
 * all the attempts that finished since the last, so a busy outbox costs the store writer one piece
 * of work per commit, not one per event.
 */
final class AttemptLog {

  /**
   * One attempt at event {@code id}, its {@code attempts}-th, finished at {@code at}; if it is to
   * be retried, not before {@code retryAt}.
   */
  record Attempt(long id, int attempts, DeliveryResult result, long at, long retryAt) {}

  /** An attempt as committed, with the event's creation time (for the latency metric). */
  record Recorded(Attempt attempt, long createdAt) {}

  private static final String DELIVERED =
      "UPDATE outbox SET state = 'delivered', attempts = attempts + 1, delivered_at = ?, last_error = NULL WHERE id = ? RETURNING created_at";
  private static final String DEAD =
      "UPDATE outbox SET state = 'dead', attempts = attempts + 1, next_attempt_at = ?, last_error = ? WHERE id = ? RETURNING created_at";
  private static final String RETRY =
      "UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ?, last_error = ? WHERE id = ? RETURNING created_at";

  private AttemptLog() {}

  /**
   * Runs in the writer. It may run again (see {@link dev.linegate.gateway.store.Transaction}), with
   * the same attempts: a run that was rolled back wrote nothing.
   */
  static List<Recorded> record(Connection tx, List<Attempt> attempts) throws SQLException {
    List<Recorded> recorded = new ArrayList<>(attempts.size());
    try (PreparedStatement delivered = tx.prepareStatement(DELIVERED);
        PreparedStatement dead = tx.prepareStatement(DEAD);
        PreparedStatement retry = tx.prepareStatement(RETRY)) {
      for (Attempt attempt : attempts) {
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
