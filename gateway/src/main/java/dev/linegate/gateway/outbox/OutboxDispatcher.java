package dev.linegate.gateway.outbox;

import dev.linegate.connectors.Backoff;
import dev.linegate.connectors.ConnectorStatus;
import dev.linegate.gateway.auth.Actor;
import dev.linegate.gateway.auth.AuditTrail;
import dev.linegate.gateway.config.ErpConfig;
import dev.linegate.gateway.core.CoreThread;
import dev.linegate.gateway.store.ReadPool;
import dev.linegate.gateway.store.StoreWriter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drains one output's outbox for as long as it takes. Only the oldest open event of each lot is
 * ever eligible, so events of a lot arrive in order while different lots travel in parallel. An
 * event leaves the backlog only when the output reports success and that is committed. When the
 * output fails, the whole dispatch pauses and then probes with one event at a time until it answers
 * ({@link ErpCircuit}).
 *
 * <p>One loop per output, on the {@code outbox-<output>} thread: commit what became of the attempts
 * that finished, read the heads, hand those not in flight to the senders ({@code
 * <output>-sender-N}), wait. The loop alone reads, records and keeps the set of events in flight;
 * an event leaves that set only when the loop has seen its outcome committed, so a read either sees
 * the commit or skips the event: nothing needs patching up between what was read and what was
 * committed.
 */
public final class OutboxDispatcher implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(OutboxDispatcher.class);
  private static final long IDLE_POLL_MS = 250;

  private final ReadPool reads;
  private final StoreWriter writer;
  private final Output output;
  private final Backoff backoff;
  private final int maxInFlight;
  private final ExecutorService senders;
  private final CoreThread.Fatal fatal;
  private @Nullable CoreThread thread;
  private final Semaphore wakeUp = new Semaphore(0);

  /** Set by {@link #wake()}: the heads are read at once, not only when the senders run short. */
  private final AtomicBoolean newEvents = new AtomicBoolean();

  /** Attempts the senders finished and the loop has not recorded yet. */
  private final Queue<AttemptLog.Attempt> finished = new ConcurrentLinkedQueue<>();

  /** Events handed to the senders and not yet recorded; the loop's own. */
  private final Set<Long> inFlight = new HashSet<>();

  private final ErpCircuit circuit;
  private final Timer deliveryLatency;
  private volatile boolean running = true;
  private volatile OutboxStats stats = OutboxStats.EMPTY;

  /** The detail of the output's check while it takes events. */
  private volatile String delivering = "idle: nothing sent yet";

  private long statsRefreshedAt;

  /**
   * {@code fatal} hears of the dispatcher thread's death: without it, nothing reaches the output
   * again.
   */
  public OutboxDispatcher(
      ReadPool reads,
      StoreWriter writer,
      Output output,
      ErpConfig config,
      MeterRegistry metrics,
      CoreThread.Fatal fatal) {
    this(reads, writer, output, config, metrics, fatal, RECORDING_STALLED_MS);
  }

  /**
   * {@code stalledAfterMs}: how long the outcomes of attempts may wait for the store before the
   * output is DOWN for it (a test waits less than the 30 s a gateway gives the store).
   */
  OutboxDispatcher(
      ReadPool reads,
      StoreWriter writer,
      Output output,
      ErpConfig config,
      MeterRegistry metrics,
      CoreThread.Fatal fatal,
      long stalledAfterMs) {
    this.stalledAfterMs = stalledAfterMs;
    this.reads = reads;
    this.writer = writer;
    this.output = output;
    this.backoff = config.retry();
    this.circuit = new ErpCircuit(config.probe(), output.check());
    // Enough queued behind the senders that they never wait for the next query.
    this.maxInFlight = output.concurrency() * 64;
    this.senders = Executors.newFixedThreadPool(output.concurrency(), namedThreads(output.name()));
    this.deliveryLatency =
        Timer.builder("linegate_erp_delivery")
            .description("From commit to the output's acknowledgment")
            .tag("output", output.name())
            .publishPercentileHistogram()
            .register(metrics);
    Gauge.builder("linegate_outbox_pending", () -> stats.pending())
        .description("Events waiting for the output")
        .tag("output", output.name())
        .register(metrics);
    Gauge.builder("linegate_outbox_dead", () -> stats.dead())
        .description("Events the output refused (dead letters)")
        .tag("output", output.name())
        .register(metrics);
    Gauge.builder(
            "linegate_outbox_oldest_pending_age_seconds",
            () -> stats.oldestPendingAgeSeconds(System.currentTimeMillis()))
        .tag("output", output.name())
        .register(metrics);
    this.fatal = fatal;
  }

  private static java.util.concurrent.ThreadFactory namedThreads(String output) {
    AtomicInteger n = new AtomicInteger();
    return r -> new Thread(r, output + "-sender-" + n.incrementAndGet());
  }

  /** The output's name: {@code http}, {@code kafka}. */
  public String output() {
    return output.name();
  }

  public void start() {
    // The loop hands its senders' work to them guarded by its own CoreThread, known once started.
    CompletableFuture<CoreThread> self = new CompletableFuture<>();
    CoreThread core = CoreThread.start("outbox-" + output.name(), () -> run(self.join()), fatal);
    thread = core;
    self.complete(core);
  }

  /** Something may be ready to send (new events committed, a dead letter released). */
  public void wake() {
    newEvents.set(true);
    nudge();
  }

  private void nudge() {
    if (wakeUp.availablePermits() == 0) {
      wakeUp.release();
    }
  }

  public OutboxStats stats() {
    return stats;
  }

  /**
   * The output's check ({@code erp} for http, {@code kafka}): the deliveries, or DOWN with the
   * cause if the dispatcher thread has died.
   */
  public ConnectorStatus status() {
    long now = System.currentTimeMillis();
    ConnectorStatus current = circuit.status(now, delivering);
    Recording pending = recording;
    if (pending != null && now - pending.startedAt() > stalledAfterMs) {
      // Nothing leaves the set in flight until this commit is seen: the deliveries have stopped.
      current =
          new ConnectorStatus(
              current.name(),
              ConnectorStatus.State.DOWN,
              "deliveries stopped: the outcomes of "
                  + pending.attempts().size()
                  + " attempts have waited "
                  + (now - pending.startedAt()) / 1000
                  + " s for the store",
              Instant.ofEpochMilli(pending.startedAt()),
              current.reconnects());
    }
    CoreThread core = thread;
    return core == null ? current : core.status(current);
  }

  /**
   * Puts a dead letter back in the queue; empty if there is no such event, false if it is not dead.
   */
  public Optional<Boolean> retry(long id, Actor by) throws Exception {
    Optional<Boolean> result =
        writer
            .submit(
                tx -> {
                  Instant now = Instant.now();
                  Optional<Boolean> released =
                      Outbox.releaseDead(tx, output.name(), id, now.toEpochMilli());
                  if (released.orElse(false)) {
                    AuditTrail.append(
                        tx, by, "outbox.retry", "outbox event " + id, Optional.empty(), now);
                  }
                  return released;
                })
            .get(30, TimeUnit.SECONDS);
    if (result.orElse(false)) {
      log.info("Dead letter {} released for another delivery by {}", id, by.name());
      circuit.probeNow();
      wake();
    }
    return result;
  }

  private void run(CoreThread core) throws InterruptedException {
    while (running) {
      try {
        boolean woken = wakeUp.tryAcquire(IDLE_POLL_MS, TimeUnit.MILLISECONDS);
        wakeUp.drainPermits();
        boolean asked = newEvents.getAndSet(false);
        recordFinished();
        refreshStats();
        long now = System.currentTimeMillis();
        int capacity = circuit.capacity(now, maxInFlight) - inFlight.size();
        // Refilled in large steps: one query per freed slot would cost more than the sending.
        boolean read = !woken || asked || inFlight.size() <= maxInFlight / 2 || circuit.probing();
        if (capacity > 0 && read) {
          dispatch(core, capacity, now, circuit.probing());
        }
      } catch (SQLException | RuntimeException e) {
        log.error("Outbox dispatch failed; trying again", e);
      }
    }
    recordLast();
  }

  /**
   * Stopping: what the senders finish now is still committed, so that a restart does not send it
   * again. Bounded, within the patience of {@link #close()}.
   */
  private void recordLast() throws InterruptedException {
    senders.shutdown();
    senders.awaitTermination(2, TimeUnit.SECONDS);
    for (int round = 0; round < 2; round++) {
      Recording pending = recording;
      if (pending != null) {
        try {
          pending.commit().get(1, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
          // Reported by recordFinished; the events stay pending and are sent again.
        }
      }
      recordFinished();
    }
  }

  /**
   * The write that is committing finished attempts, if one is, with the attempts in it. Its events
   * stay in flight until the loop sees it done: a heads read that starts after that is sure to see
   * the commit, and one that started before skips them.
   */
  private record Recording(
      List<AttemptLog.Attempt> attempts,
      CompletableFuture<List<AttemptLog.Recorded>> commit,
      long startedAt) {}

  /** Longer than any commit takes, even of a group the writer replays piece by piece. */
  private static final long RECORDING_STALLED_MS = 30_000;

  private final long stalledAfterMs;

  /** Written by the loop only; read by {@link #status()}. */
  private volatile @Nullable Recording recording;

  /**
   * Takes a finished commit of attempts into account, and starts the next one with all the attempts
   * that finished since: one write per commit, however many events. Attempts that could not be
   * recorded are still pending in the database: they are sent again.
   */
  private void recordFinished() {
    Recording done = recording;
    if (done != null && done.commit().isDone()) {
      recording = null;
      try {
        for (AttemptLog.Recorded recorded : done.commit().join()) {
          afterAttempt(recorded.attempt(), recorded.createdAt());
        }
      } catch (CompletionException | CancellationException e) {
        log.error(
            "Could not record {} delivery attempts: {}; they will be sent again",
            done.attempts().size(),
            e.getCause() == null ? e.getMessage() : e.getCause().getMessage());
      } finally {
        done.attempts().forEach(attempt -> inFlight.remove(attempt.id()));
      }
    }
    if (recording != null || finished.isEmpty()) {
      return;
    }
    List<AttemptLog.Attempt> taken = new ArrayList<>();
    for (AttemptLog.Attempt attempt; (attempt = finished.poll()) != null; ) {
      taken.add(attempt);
    }
    CompletableFuture<List<AttemptLog.Recorded>> commit =
        writer.submit(tx -> AttemptLog.record(tx, taken));
    recording = new Recording(taken, commit, System.currentTimeMillis());
    commit.whenComplete((recorded, failure) -> nudge());
  }

  private void dispatch(CoreThread core, int capacity, long now, boolean probe)
      throws SQLException {
    int limit = inFlight.size() + capacity;
    List<Outbox.Head> heads = reads.read(c -> Outbox.heads(c, output.name(), now, limit));
    int sent = 0;
    for (Outbox.Head head : heads) {
      if (sent == capacity) {
        break;
      }
      if (inFlight.add(head.id())) {
        sent++;
        senders.execute(core.guarded(() -> send(head, probe)));
      }
    }
  }

  private void send(Outbox.Head head, boolean probe) {
    DeliveryResult result;
    try {
      String payload = reads.read(c -> Outbox.payload(c, head.id()));
      result = output.deliver(head.eventId(), head.type(), head.subject(), payload);
    } catch (SQLException | RuntimeException e) {
      result = new DeliveryResult.Retry(e.getMessage());
    }
    long now = System.currentTimeMillis();
    int attempt = head.attempts() + 1;
    Optional<ErpCircuit.Change> change;
    // Due again at once unless this failure is the ERP's first: the circuit's probes pace the rest.
    long retryAt = now;
    if (result instanceof DeliveryResult.Retry retry) {
      change = circuit.failed(now, retry.reason(), probe);
      if (change.isPresent()) {
        // The event that failed while others went through may be the trouble itself: it waits its
        // own backoff.
        retryAt = now + backoff.delay(attempt).toMillis();
      }
    } else {
      change = circuit.answered(now);
    }
    change.ifPresent(this::changed);
    finished.add(new AttemptLog.Attempt(head.id(), attempt, result, now, retryAt));
    nudge();
  }

  /** One log line and one status per outage's start and end, however many events it touched. */
  private void changed(ErpCircuit.Change change) {
    if (change instanceof ErpCircuit.Change.Opened opened) {
      log.warn(
          "{} unreachable: {}; deliveries paused, one event probes it from now on (first in {} ms)",
          output.title(),
          opened.reason(),
          opened.firstProbeInMs());
    } else if (change instanceof ErpCircuit.Change.Closed closed) {
      log.info(
          "{} reachable again after {} s ({} probes failed); delivering the backlog",
          output.title(),
          closed.outageMs() / 1000,
          closed.failedProbes());
    }
  }

  private void afterAttempt(AttemptLog.Attempt attempt, long createdAt) {
    DeliveryResult result = attempt.result();
    long now = attempt.at();
    if (result instanceof DeliveryResult.Delivered) {
      deliveryLatency.record(Duration.ofMillis(Math.max(0, now - createdAt)));
      delivering = "delivering";
    } else if (result instanceof DeliveryResult.Dead dead) {
      log.warn(
          "{} refused outbox event {}: {}; it is now a dead letter",
          output.title(),
          attempt.id(),
          dead.reason());
      delivering = "delivering; last refused: " + dead.reason();
    }
  }

  private void refreshStats() throws SQLException {
    long now = System.currentTimeMillis();
    if (now - statsRefreshedAt < 1_000) {
      return;
    }
    statsRefreshedAt = now;
    stats = reads.read(c -> Outbox.stats(c, output.name()));
  }

  @Override
  public void close() {
    CoreThread core = thread;
    if (core != null) {
      core.stop(
          () -> {
            running = false;
            wake();
          },
          Duration.ofSeconds(5));
    }
    senders.shutdown();
    try {
      senders.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
