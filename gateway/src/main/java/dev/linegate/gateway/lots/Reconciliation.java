package dev.linegate.gateway.lots;

import java.time.Instant;
import java.util.Optional;

/**
 * A lot's serials by their current state, each counted once (SPEC section 9): they add up to every
 * serial the lot ever had. {@code uncertainLabels}: labels whose print outcome is in doubt; {@code
 * unaccounted}: the serials whose label is not known to be where it belongs (see {@link
 * LotClosing#reconcile}). {@code closedAt} and {@code closedBy} once the lot is closed.
 */
public record Reconciliation(
    String lot,
    String line,
    long assigned,
    long printed,
    long verified,
    long rejected,
    long sampled,
    long voided,
    long uncertainLabels,
    long unaccounted,
    Optional<Instant> closedAt,
    Optional<String> closedBy) {

  public long serials() {
    return assigned + printed + verified + rejected + sampled + voided;
  }

  /** These counts, closed at {@code at} by {@code by}. */
  Reconciliation closed(Instant at, String by) {
    return new Reconciliation(
        lot,
        line,
        assigned,
        printed,
        verified,
        rejected,
        sampled,
        voided,
        uncertainLabels,
        unaccounted,
        Optional.of(at),
        Optional.of(by));
  }

  /** Nothing stands in the way of closing without a signature. */
  public boolean balanced() {
    return unaccounted == 0 && uncertainLabels == 0;
  }
}
