package dev.linegate.simulator;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import picocli.CommandLine.Option;

/** How long to publish: a number of batches or a duration (an exclusive group of options). */
public final class Limit {
  @Option(
      names = "--count",
      description = "Number of batches, counted like --rate (per line or in total).")
  Long count;

  @Option(names = "--duration", description = "How long to publish, e.g. 30s, 5m.")
  Duration duration;

  public OptionalLong count() {
    return count == null ? OptionalLong.empty() : OptionalLong.of(count);
  }

  public Optional<Duration> duration() {
    return Optional.ofNullable(duration);
  }
}
