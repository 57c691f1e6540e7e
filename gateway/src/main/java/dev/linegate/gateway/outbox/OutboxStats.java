package dev.linegate.gateway.outbox;

import java.util.Optional;

/** How much is waiting for the ERP, and how old the oldest of it is. */
public record OutboxStats(long pending, long dead, Optional<Long> oldestPendingCreatedAt) {

  public static final OutboxStats EMPTY = new OutboxStats(0, 0, Optional.empty());

  public double oldestPendingAgeSeconds(long nowMillis) {
    return oldestPendingCreatedAt
        .map(created -> Math.max(0, nowMillis - created) / 1000.0)
        .orElse(0.0);
  }
}
