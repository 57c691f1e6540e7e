package dev.linegate.simulator.mqtt;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Spaces events evenly at a fixed rate. */
final class Pacer {
  private static final long MAX_LAG_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

  private final long intervalNanos;
  private final long maxLagNanos;
  private long next = System.nanoTime();

  Pacer(double perSecond) {
    intervalNanos = Math.max(1, Math.round(1e9 / perSecond));
    maxLagNanos = Math.min(10 * intervalNanos, MAX_LAG_NANOS);
  }

  /** Waits for the next slot; false when {@code stop} opened first. */
  boolean awaitNext(CountDownLatch stop) throws InterruptedException {
    long now = System.nanoTime();
    if (now - next > maxLagNanos) {
      // After a stall, start afresh: catching up would send a burst, not a steady rate.
      next = now;
    }
    long wait = next - now;
    next += intervalNanos;
    return wait <= 0 ? stop.getCount() > 0 : !stop.await(wait, TimeUnit.NANOSECONDS);
  }
}
