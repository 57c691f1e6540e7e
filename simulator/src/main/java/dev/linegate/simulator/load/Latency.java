package dev.linegate.simulator.load;

import java.util.Arrays;
import java.util.Locale;

/** A latency distribution in milliseconds; percentiles by nearest rank. */
public record Latency(int samples, double p50, double p95, double p99, double max) {

  public static Latency of(double[] millis) {
    if (millis.length == 0) {
      return new Latency(0, 0, 0, 0, 0);
    }
    double[] sorted = millis.clone();
    Arrays.sort(sorted);
    return new Latency(
        sorted.length,
        rank(sorted, 50),
        rank(sorted, 95),
        rank(sorted, 99),
        sorted[sorted.length - 1]);
  }

  private static double rank(double[] sorted, int percentile) {
    int rank = (int) Math.ceil(percentile / 100.0 * sorted.length);
    return sorted[Math.max(0, rank - 1)];
  }

  public String toText() {
    return samples == 0
        ? "no samples"
        : String.format(
            Locale.ROOT, "p50 %.1f  p95 %.1f  p99 %.1f  max %.1f ms", p50, p95, p99, max);
  }
}
