package dev.linegate.gateway.intake;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.linegate.connectors.ConnectorStatus;
import dev.linegate.connectors.batch.BatchSignal;
import dev.linegate.gateway.config.GatewayConfig;
import dev.linegate.gateway.config.LineConfig;
import dev.linegate.gateway.config.ProductConfig;
import dev.linegate.gateway.core.LogContext;
import dev.linegate.gateway.numbering.Counters;
import dev.linegate.gateway.outbox.Outbox;
import dev.linegate.gateway.pools.SerialPools;
import dev.linegate.gateway.rejects.RejectLog;
import dev.linegate.gateway.store.DiskSpace;
import dev.linegate.gateway.store.StoreWriter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.ZoneId;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where every batch-complete signal, from any source, becomes a lot: validate, number, commit, then
 * acknowledge. Nothing is acknowledged to the source before the commit; a bad signal is committed
 * as a reject and acknowledged too, so it never blocks the line. While the disk is nearly full
 * ({@link DiskSpace}) signals are held, unacknowledged, and taken in the order they came once there
 * is space again. A batch whose pool holds too few serials ({@link SerialPools}) waits the same
 * way, for its line only: the line's later signals queue behind it, other lines go on.
 */
public final class BatchIntake {

  private static final Logger log = LoggerFactory.getLogger(BatchIntake.class);
  private static final int MAX_HELD = 10_000;

  private final Map<String, LineConfig> lines;
  private final BatchParser parser;
  private final LotRecorder recorder;
  private final StoreWriter writer;
  private final Runnable afterNewLot;
  private final Map<String, LineMeters> meters;
  private final DiskSpace disk;

  /**
   * Signals waiting for disk space, oldest first. The sources bound them (a broker sends only so
   * many unacknowledged messages, an OPC UA line one batch at a time); past {@link #MAX_HELD} a
   * source waits, as it does for a full store queue.
   */
  private final Deque<BatchSignal> held = new ArrayDeque<>();

  private final SerialPools pools;

  /**
   * Per line, the signals waiting for serials, oldest first (guarded by itself). The head is tried
   * again when its pool receives serials; {@code retrying} has the lines whose head is being
   * committed again, so that a new signal does not overtake it.
   */
  private final Map<String, Deque<BatchSignal>> waiting = new HashMap<>();

  private final Set<String> retrying = new HashSet<>();

  /** What the first waiting batch of each line waits for, for {@code /health}. */
  private final Map<String, IntakeOutcome.WaitingForSerials> waitingFor = new ConcurrentHashMap<>();

  public BatchIntake(
      GatewayConfig config,
      StoreWriter writer,
      Counters counters,
      Outbox outbox,
      DiskSpace disk,
      SerialPools pools,
      ObjectMapper json,
      MeterRegistry metrics,
      Runnable afterNewLot) {
    this.lines = config.linesById();
    Map<String, Integer> shelfLives =
        config.productsByCode().values().stream()
            .collect(Collectors.toMap(ProductConfig::code, ProductConfig::shelfLifeDays));
    this.parser =
        new BatchParser(
            json,
            config.productsByCode().keySet(),
            new BatchDates(shelfLives, ZoneId.systemDefault()));
    this.recorder = new LotRecorder(config.id(), config.productsByCode(), counters, outbox, json);
    this.writer = writer;
    this.afterNewLot = afterNewLot;
    this.meters =
        lines.keySet().stream()
            .collect(
                Collectors.toUnmodifiableMap(
                    Function.identity(), line -> new LineMeters(metrics, line)));
    this.disk = disk;
    disk.onSpaceBack(this::releaseHeld);
    this.pools = pools;
    pools.onSerials(this::serialsArrived);
  }

  public void accept(BatchSignal signal) {
    synchronized (held) {
      if (disk.low() || !held.isEmpty()) {
        while (held.size() >= MAX_HELD) {
          try {
            held.wait();
          } catch (InterruptedException e) {
            // Stopping: not committed, so not acknowledged; the source delivers it again.
            Thread.currentThread().interrupt();
            return;
          }
        }
        held.addLast(signal);
        return;
      }
    }
    synchronized (waiting) {
      Deque<BatchSignal> queue = waiting.get(signal.line());
      if (retrying.contains(signal.line()) || queue != null && !queue.isEmpty()) {
        queue = waiting.computeIfAbsent(signal.line(), line -> new ArrayDeque<>());
        queue.addLast(signal);
        return;
      }
    }
    commit(signal, false);
  }

  /**
   * The line's check as {@code /health} shows it: DOWN while a batch of the line waits for serials.
   */
  public ConnectorStatus overlay(String line, ConnectorStatus source) {
    IntakeOutcome.WaitingForSerials first = waitingFor.get(line);
    if (first == null) {
      return source;
    }
    int batches;
    synchronized (waiting) {
      batches =
          waiting.getOrDefault(line, new ArrayDeque<>()).size() + (retrying.contains(line) ? 1 : 0);
    }
    return new ConnectorStatus(
        source.name(),
        ConnectorStatus.State.DOWN,
        String.format(
                Locale.ROOT,
                "waiting for serials: %d batch(es); the first needs %,d serials of GTIN %s, the pool has %,d",
                Math.max(1, batches),
                first.needed(),
                first.gtin(),
                first.available())
            + "; "
            + source.detail(),
        source.since(),
        source.reconnects());
  }

  /** Serials came for {@code gtin}: each line whose first waiting batch needs them tries it. */
  private void serialsArrived(String gtin) {
    waitingFor.forEach(
        (line, wait) -> {
          if (wait.gtin().equals(gtin)) {
            retryFirst(line);
          }
        });
  }

  private void retryFirst(String line) {
    BatchSignal next;
    synchronized (waiting) {
      Deque<BatchSignal> queue = waiting.get(line);
      if (retrying.contains(line)) {
        return;
      }
      if (queue == null || queue.isEmpty()) {
        IntakeOutcome.WaitingForSerials done = waitingFor.remove(line);
        if (done != null
            && waitingFor.values().stream().noneMatch(w -> w.gtin().equals(done.gtin()))) {
          pools.demand(done.gtin(), 0);
        }
        return;
      }
      next = queue.pollFirst();
      retrying.add(line);
    }
    commit(next, true);
  }

  /** A committed signal that had waited: the line's next waiting one goes. */
  private void waited(String line) {
    synchronized (waiting) {
      retrying.remove(line);
    }
    retryFirst(line);
  }

  private void waits(BatchSignal signal, IntakeOutcome.WaitingForSerials wait, boolean retry) {
    synchronized (waiting) {
      Deque<BatchSignal> queue = waiting.computeIfAbsent(signal.line(), l -> new ArrayDeque<>());
      if (retry) {
        queue.addFirst(signal);
        retrying.remove(signal.line());
      } else {
        queue.addLast(signal);
      }
      waitingFor.put(signal.line(), wait);
    }
    if (!retry) {
      log.warn(
          "Line {}: batch waits for serials: it needs {} of GTIN {}, the pool has {}; not"
              + " acknowledged until they come",
          signal.line(),
          wait.needed(),
          wait.gtin(),
          wait.available());
    }
    pools.demand(wait.gtin(), wait.needed());
  }

  /** Batches waiting for disk space. */
  public int held() {
    synchronized (held) {
      return held.size();
    }
  }

  /** Under the lock, so that a signal that comes meanwhile queues behind those held before it. */
  private void releaseHeld() {
    synchronized (held) {
      int released = 0;
      for (BatchSignal signal; !disk.low() && (signal = held.pollFirst()) != null; released++) {
        commit(signal, false);
      }
      held.notifyAll();
      if (released > 0) {
        log.info("{} held batch signal(s) released to the store", released);
      }
    }
  }

  /** {@code retry}: the signal waited for serials, and is the first of its line to go again. */
  private void commit(BatchSignal signal, boolean retry) {
    LineConfig line = lines.get(signal.line());
    byte[] payload = signal.payload();
    BatchParser.Parsed parsed =
        signal.cut()
            ? BatchParser.Parsed.rejected(tooLarge(signal.size(), payload.length))
            : parser.parse(line, payload, signal.receivedAt());
    writer
        .submit(
            tx -> {
              IntakeOutcome outcome =
                  parsed.request().isPresent()
                      ? recorder.record(tx, line, parsed.request().get(), signal.origin(), payload)
                      : new IntakeOutcome.Rejected(parsed.reason());
              if (outcome instanceof IntakeOutcome.Rejected rejected) {
                RejectLog.append(
                    tx,
                    "batch",
                    line.id(),
                    signal.origin(),
                    signal.receivedAt(),
                    rejected.reason(),
                    payload,
                    signal.size());
              }
              return outcome;
            })
        .whenComplete(
            (outcome, failure) -> {
              try (LogContext context =
                  LogContext.of(
                      line.id(), failure == null ? outcome.assignedLot() : Optional.empty())) {
                if (failure != null) {
                  // Not committed, so not acknowledged: the source will deliver the signal again.
                  log.error(
                      "Line {}: batch signal not committed: {}", line.id(), failure.getMessage());
                  signal.acknowledgment().failed(failure);
                  if (retry) {
                    waited(line.id());
                  }
                  return;
                }
                if (outcome instanceof IntakeOutcome.WaitingForSerials wait) {
                  waits(signal, wait, retry);
                  return;
                }
                signal.acknowledgment().committed(outcome.assignedLot());
                report(line, outcome);
                if (retry) {
                  waited(line.id());
                }
              }
            });
  }

  private static String tooLarge(long size, int accepted) {
    return String.format(
        Locale.ROOT,
        "message of %,d bytes is larger than a batch message may be (%,d bytes); it was not read",
        size,
        accepted);
  }

  private void report(LineConfig line, IntakeOutcome outcome) {
    if (outcome instanceof IntakeOutcome.NewLot lot) {
      meters.get(line.id()).batches().increment();
      meters.get(line.id()).serials().increment(lot.quantity());
      log.info(
          "Line {}: batch {} -> lot {} with {} serials",
          line.id(),
          lot.batchId(),
          lot.lot(),
          lot.quantity());
      afterNewLot.run();
    } else if (outcome instanceof IntakeOutcome.KnownBatch known) {
      meters.get(line.id()).repeated().increment();
      log.info(
          "Line {}: batch {} signalled again; it already has lot {}",
          line.id(),
          known.batchId(),
          known.lot());
    } else if (outcome instanceof IntakeOutcome.Rejected rejected) {
      meters.get(line.id()).rejects().increment();
      log.warn("Line {}: batch signal rejected: {}", line.id(), rejected.reason());
    }
  }

  /**
   * Looked up once: the registry's lookup would otherwise run on the store writer for every batch.
   */
  private record LineMeters(Counter batches, Counter serials, Counter repeated, Counter rejects) {
    LineMeters(MeterRegistry metrics, String line) {
      this(
          metrics.counter("linegate_batches_total", "line", line),
          metrics.counter("linegate_serials_total", "line", line),
          metrics.counter("linegate_batches_repeated_total", "line", line),
          metrics.counter("linegate_rejects_total", "line", line));
    }
  }
}
