package dev.linegate.simulator.mqtt;

import dev.linegate.simulator.BatchPublisher;
import dev.linegate.simulator.Signalled;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes batches for several lines at an even rate, mixing in duplicates (an earlier batch sent
 * again unchanged) and malformed payloads (MQTT only) in the shares asked for.
 */
public final class BatchGenerator {
  private static final Logger LOG = LoggerFactory.getLogger(BatchGenerator.class);
  private static final Duration ACK_TIMEOUT = Duration.ofSeconds(30);

  /** Duplicates are drawn from this many recent batches. */
  private static final int RECENT = 1_000;

  public enum Kind {
    BATCH,
    DUPLICATE,
    MALFORMED
  }

  /**
   * What to publish. {@code rate} is messages per second over all lines, taken in turn; without
   * {@code count} or {@code duration} the generator runs until stopped.
   */
  public record Options(
      List<String> lines,
      double rate,
      OptionalLong count,
      Optional<Duration> duration,
      String product,
      int quantity,
      double duplicates,
      double malformed) {
    public Options {
      lines = List.copyOf(lines);
      if (lines.isEmpty()) {
        throw new IllegalArgumentException("at least one line is needed");
      }
      if (!(rate > 0)) {
        throw new IllegalArgumentException("rate must be above 0, not " + rate);
      }
      if (duplicates < 0 || malformed < 0 || duplicates + malformed > 1) {
        throw new IllegalArgumentException(
            "the shares of duplicates and malformed messages must be >= 0 and add up to <= 1");
      }
    }
  }

  /**
   * One message handed to the PLC at {@code publishedNanos}; {@code acked} completes when the PLC
   * saw it taken (MQTT PUBACK, OPC UA Ack), with the time it actually went out.
   */
  public record Published(
      Kind kind,
      String line,
      String destination,
      String batchId,
      String payload,
      long publishedNanos,
      Instant publishedAt,
      CompletableFuture<Signalled> acked) {

    /** One line for logs: kind, destination and payload. */
    public String describe() {
      return String.format(
          "%-9s -> %s %s", kind.name().toLowerCase(Locale.ROOT), destination, payload);
    }
  }

  /**
   * Messages acknowledged (by the broker, or the gateway's Ack), by kind, and those that failed.
   */
  public record Summary(long batches, long duplicates, long malformed, long failed) {}

  private final Options options;
  private final RandomGenerator random;
  private final Consumer<Published> listener;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final List<BatchMessage> recent = new ArrayList<>();
  private final Map<Kind, AtomicLong> acked = new EnumMap<>(Kind.class);
  private final AtomicLong failed = new AtomicLong();

  /** {@code listener} hears of each message right after it was handed to the broker. */
  public BatchGenerator(Options options, RandomGenerator random, Consumer<Published> listener) {
    this.options = options;
    this.random = random;
    this.listener = listener;
    for (var kind : Kind.values()) {
      acked.put(kind, new AtomicLong());
    }
  }

  /** Publishes until the count or duration is reached or {@link #stop()}, then awaits the acks. */
  public Summary run(BatchPublisher plc) throws InterruptedException {
    var pacer = new Pacer(options.rate());
    long end = options.duration().map(d -> System.nanoTime() + d.toNanos()).orElse(Long.MAX_VALUE);
    long count = options.count().orElse(Long.MAX_VALUE);
    List<String> lines = options.lines();
    for (long i = 0; i < count && pacer.awaitNext(stopped) && System.nanoTime() - end < 0; i++) {
      publishOne(plc, lines.get((int) (i % lines.size())));
    }
    if (!plc.awaitAcks(ACK_TIMEOUT)) {
      LOG.warn("some publishes still have no PUBACK after {}", ACK_TIMEOUT);
    }
    return new Summary(
        acked.get(Kind.BATCH).get(),
        acked.get(Kind.DUPLICATE).get(),
        acked.get(Kind.MALFORMED).get(),
        failed.get());
  }

  /** Makes {@link #run} return after the current message; callable from any thread. */
  public void stop() {
    stopped.countDown();
  }

  private void publishOne(BatchPublisher plc, String line) {
    double draw = random.nextDouble();
    if (draw < options.malformed()) {
      var valid = fresh(plc, line);
      var kind = Malformed.values()[random.nextInt(Malformed.values().length)];
      String payload = kind.payload(valid);
      announce(
          plc,
          Kind.MALFORMED,
          line,
          valid.batchId(),
          payload,
          () -> plc.signalMalformed(line, payload));
    } else if (draw < options.malformed() + options.duplicates() && !recent.isEmpty()) {
      var earlier = recent.get(random.nextInt(recent.size()));
      announce(
          plc,
          Kind.DUPLICATE,
          earlier.line(),
          earlier.batchId(),
          earlier.toJson(),
          () -> plc.signal(earlier));
    } else {
      var batch = fresh(plc, line);
      remember(batch);
      announce(plc, Kind.BATCH, line, batch.batchId(), batch.toJson(), () -> plc.signal(batch));
    }
  }

  private BatchMessage fresh(BatchPublisher plc, String line) {
    return BatchMessage.completedNow(
        line, plc.nextBatchId(line), options.product(), options.quantity());
  }

  private void remember(BatchMessage batch) {
    if (recent.size() < RECENT) {
      recent.add(batch);
    } else {
      recent.set(random.nextInt(RECENT), batch);
    }
  }

  private void announce(
      BatchPublisher plc,
      Kind kind,
      String line,
      String batchId,
      String payload,
      Supplier<CompletableFuture<Signalled>> send) {
    long nanos = System.nanoTime();
    var at = Instant.now().truncatedTo(ChronoUnit.MICROS);
    var ack = send.get();
    ack.whenComplete(
        (ok, error) -> {
          if (error == null) {
            acked.get(kind).incrementAndGet();
          } else {
            failed.incrementAndGet();
          }
        });
    listener.accept(
        new Published(kind, line, plc.destination(line), batchId, payload, nanos, at, ack));
  }
}
