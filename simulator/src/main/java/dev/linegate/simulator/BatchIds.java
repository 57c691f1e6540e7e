package dev.linegate.simulator;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Batch ids unique to one run of a simulated PLC: {@code <line>-<runId>-<counter>}, counted per
 * line. The run id lets a load run pick its own batches out of everything a gateway has seen.
 */
public final class BatchIds {
  private final String runId = newRunId();
  private final Map<String, AtomicLong> counters = new ConcurrentHashMap<>();

  public String runId() {
    return runId;
  }

  public String next(String line) {
    long n = counters.computeIfAbsent(line, l -> new AtomicLong()).incrementAndGet();
    return String.format("%s-%s-%06d", line, runId, n);
  }

  /** Six base-36 characters: short in batch ids, and two runs are unlikely to collide. */
  private static String newRunId() {
    long min = (long) Math.pow(36, 5);
    return Long.toString(ThreadLocalRandom.current().nextLong(min, min * 36), 36);
  }
}
