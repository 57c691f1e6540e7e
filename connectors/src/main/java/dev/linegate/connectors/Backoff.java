package dev.linegate.connectors;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Capped exponential backoff with jitter, so that many lines reconnecting to one restarted broker
 * do not knock on it in step.
 */
public record Backoff(Duration initial, Duration max) {

  public Backoff {
    if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
      throw new IllegalArgumentException("backoff needs 0 < initial <= max");
    }
  }

  /** The delay before attempt number {@code attempt} (1 for the first retry). */
  public Duration delay(int attempt) {
    int shift = Math.min(Math.max(attempt - 1, 0), 30);
    long capped = Math.min(initial.toMillis() << shift, max.toMillis());
    long jitter = capped / 5;
    long millis = capped - jitter + ThreadLocalRandom.current().nextLong(jitter + 1);
    return Duration.ofMillis(Math.max(millis, 1));
  }
}
