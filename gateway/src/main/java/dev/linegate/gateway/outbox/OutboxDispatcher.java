package dev.linegate.gateway.outbox;

import dev.linegate.connectors.Backoff;
import dev.linegate.connectors.ConnectorStatus;
import dev.linegate.gateway.config.ErpConfig;
import dev.linegate.gateway.core.CoreThread;
import dev.linegate.gateway.store.ReadPool;
import dev.linegate.gateway.store.StoreWriter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drains the outbox to the ERP for as long as it takes. Only the oldest open event of each lot is
 * ever eligible, so events of a lot arrive in order while different lots travel in parallel. An
 * event leaves the backlog only when the route reports success and that is committed. When the ERP
 * fails, the whole dispatch pauses and then probes with one event at a time until it answers
 * ({@link ErpCircuit}).
 */
public final class OutboxDispatcher implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(OutboxDispatcher.class);
  private static final long IDLE_POLL_MS = 250;

  /** Events that are the oldest open one of their lot, due now, oldest first. */
  private static final String HEADS =
      """
      SELECT o.id, o.event_id, o.type, o.subject, o.attempts FROM outbox o
      WHERE o.state = 'pending' AND o.next_attempt_at <= ?
        AND NOT EXISTS (SELECT 1 FROM outbox p WHERE p.subject = o.subject AND p.id < o.id AND p.state <> 'delivered')
      ORDER BY o.id LIMIT ?""";

  private record Head(long id, String eventId, String type, String subject, int attempts) {}

  private final ReadPool reads;
  private final StoreWriter writer;
  private final ErpRoutes routes;
  private final Backoff backoff;
  private final AttemptLog attempts;
  private final int maxInFlight;
  private final ExecutorService senders;
  private final CoreThread.Fatal fatal;
  private @Nullable CoreThread thread;
  private final Semaphore wakeUp = new Semaphore(0);
  private final Set<Long> inFlight = ConcurrentHashMap.newKeySet();

  /**
   * Events whose attempt is committed, with the completion count at that moment. A heads query that
   * started before that commit may still list them as pending: they are skipped until a query that
   * started after it has run.
   */
  private final Map<Long, Long> settled = new ConcurrentHashMap<>();

  private final AtomicLong completions = new AtomicLong();
  private final ErpCircuit circuit;
  private final Timer deliveryLatency;
  private volatile boolean running = true;
  private volatile OutboxStats stats = OutboxStats.EMPTY;

  /** The detail of {@code erp} while the ERP takes events. */
  private volatile String delivering = "idle: nothing sent yet";

  private long statsRefreshedAt;

  /**
   * {@code fatal} hears of the dispatcher thread's death: without it, nothing reaches the ERP
   * again.
   */
  public OutboxDispatcher(
      ReadPool reads,
      StoreWriter writer,
      ErpRoutes routes,
      ErpConfig config,
      MeterRegistry metrics,
      CoreThread.Fatal fatal) {
    this.reads = reads;
    this.writer = writer;
    this.routes = routes;
    this.backoff = config.retry();
    this.circuit = new ErpCircuit(config.probe());
    this.attempts = new AttemptLog(writer, new Settle());
    // Enough queued behind the senders that they never wait for the next query.
    this.maxInFlight = config.concurrency() * 64;
    this.senders = Executors.newFixedThreadPool(config.concurrency(), namedThreads());
    this.deliveryLatency =
        Timer.builder("linegate_erp_delivery")
            .description("From commit to the ERP's acknowledgment")
            .publishPercentileHistogram()
            .register(metrics);
    Gauge.builder("linegate_outbox_pending", () -> stats.pending())
        .description("Events waiting for the ERP")
        .register(metrics);
    Gauge.builder("linegate_outbox_dead", () -> stats.dead())
        .description("Events the ERP refused (dead letters)")
        .register(metrics);
    Gauge.builder(
            "linegate_outbox_oldest_pending_age_seconds",
            () -> stats.oldestPendingAgeSeconds(System.currentTimeMillis()))
        .register(metrics);
    this.fatal = fatal;
  }

  private static java.util.concurrent.ThreadFactory namedThreads() {
    AtomicInteger n = new AtomicInteger();
    return r -> new Thread(r, "erp-sender-" + n.incrementAndGet());
  }

  public void start() {
    // The loop hands its senders' work to them guarded by its own CoreThread, known once started.
    CompletableFuture<CoreThread> self = new CompletableFuture<>();
    CoreThread core = CoreThread.start("outbox-dispatcher", () -> run(self.join()), fatal);
    thread = core;
    self.complete(core);
  }

  /** Something may be ready to send (new events committed, a dead letter released). */
  public void wake() {
    if (wakeUp.availablePermits() == 0) {
      wakeUp.release();
    }
  }

  public OutboxStats stats() {
    return stats;
  }

  /** {@code erp}: the deliveries, or DOWN with the cause if the dispatcher thread has died. */
  public ConnectorStatus status() {
    ConnectorStatus current = circuit.status(System.currentTimeMillis(), delivering);
    CoreThread core = thread;
    return core == null ? current : core.status(current);
  }

  /**
   * Puts a dead letter back in the queue; empty if there is no such event, false if it is not dead.
   */
  public Optional<Boolean> retry(long id) throws Exception {
    Optional<Boolean> result =
        writer
            .submit(
                tx -> {
                  try (PreparedStatement update =
                      tx.prepareStatement(
                          "UPDATE outbox SET state = 'pending', next_attempt_at = ? WHERE id = ? AND state = 'dead'")) {
                    update.setLong(1, System.currentTimeMillis());
                    update.setLong(2, id);
                    if (update.executeUpdate() == 1) {
                      return Optional.of(true);
                    }
                  }
                  try (PreparedStatement exists =
                      tx.prepareStatement("SELECT 1 FROM outbox WHERE id = ?")) {
                    exists.setLong(1, id);
                    try (ResultSet row = exists.executeQuery()) {
                      return row.next() ? Optional.of(false) : Optional.<Boolean>empty();
                    }
                  }
                })
            .get(30, TimeUnit.SECONDS);
    if (result.orElse(false)) {
      log.info("Dead letter {} released for another delivery", id);
      circuit.probeNow();
      wake();
    }
    return result;
  }

  private void run(CoreThread core) throws InterruptedException {
    while (running) {
      try {
        wakeUp.tryAcquire(IDLE_POLL_MS, TimeUnit.MILLISECONDS);
        wakeUp.drainPermits();
        refreshStats();
        long now = System.currentTimeMillis();
        int capacity = circuit.capacity(now, maxInFlight) - inFlight.size();
        if (capacity > 0) {
          dispatch(core, capacity, now, circuit.probing());
        }
      } catch (SQLException | RuntimeException e) {
        log.error("Outbox dispatch failed; trying again", e);
      }
    }
  }

  private void dispatch(CoreThread core, int capacity, long now, boolean probe)
      throws SQLException {
    long seen = completions.get();
    List<Head> heads =
        reads.read(
            c -> {
              try (PreparedStatement select = c.prepareStatement(HEADS)) {
                select.setLong(1, now);
                select.setInt(2, inFlight.size() + settled.size() + capacity);
                List<Head> found = new ArrayList<>();
                try (ResultSet row = select.executeQuery()) {
                  while (row.next()) {
                    found.add(
                        new Head(
                            row.getLong(1),
                            row.getString(2),
                            row.getString(3),
                            row.getString(4),
                            row.getInt(5)));
                  }
                }
                return found;
              }
            });
    int sent = 0;
    for (Head head : heads) {
      if (sent == capacity) {
        break;
      }
      // In flight first, then settled: the completion does the reverse, so one of the two checks
      // sees it.
      if (!inFlight.add(head.id())) {
        continue;
      }
      if (settled.containsKey(head.id())) {
        inFlight.remove(head.id());
        continue;
      }
      sent++;
      senders.execute(core.guarded(() -> send(head, probe)));
    }
    settled.values().removeIf(completion -> completion <= seen);
  }

  private void send(Head head, boolean probe) {
    DeliveryResult result;
    try {
      String payload = reads.read(c -> payload(c, head.id()));
      result = routes.deliver(head.eventId(), head.type(), head.subject(), payload);
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
    attempts.add(new AttemptLog.Attempt(head.id(), attempt, result, now, retryAt));
  }

  /** One log line and one status per outage's start and end, however many events it touched. */
  private void changed(ErpCircuit.Change change) {
    if (change instanceof ErpCircuit.Change.Opened opened) {
      log.warn(
          "ERP unreachable: {}; deliveries paused, one event probes it from now on (first in {} ms)",
          opened.reason(),
          opened.firstProbeInMs());
    } else if (change instanceof ErpCircuit.Change.Closed closed) {
      log.info(
          "ERP reachable again after {} s ({} probes failed); delivering the backlog",
          closed.outageMs() / 1000,
          closed.failedProbes());
    }
  }

  private static String payload(java.sql.Connection c, long id) throws SQLException {
    try (PreparedStatement select = c.prepareStatement("SELECT payload FROM outbox WHERE id = ?")) {
      select.setLong(1, id);
      try (ResultSet row = select.executeQuery()) {
        row.next();
        return row.getString(1);
      }
    }
  }

  /** After the commit of attempts: their events may be listed again, and their lots move on. */
  private final class Settle implements AttemptLog.Listener {

    @Override
    public void recorded(List<AttemptLog.Recorded> recorded) {
      for (AttemptLog.Recorded done : recorded) {
        release(done.attempt().id());
        afterAttempt(done.attempt(), done.createdAt());
      }
      refill();
    }

    /** Still pending in the database: released so that they are tried again. */
    @Override
    public void notRecorded(List<AttemptLog.Attempt> failed, Throwable cause) {
      log.error(
          "Could not record {} delivery attempts: {}; they will be sent again",
          failed.size(),
          cause.getMessage());
      failed.forEach(attempt -> release(attempt.id()));
      refill();
    }

    private void release(long id) {
      settled.put(id, completions.incrementAndGet());
      inFlight.remove(id);
    }

    /** Refill in large steps: one query per freed slot would cost more than the sending. */
    private void refill() {
      if (inFlight.size() <= maxInFlight / 2 || circuit.probing()) {
        wake();
      }
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
          "ERP refused outbox event {}: {}; it is now a dead letter", attempt.id(), dead.reason());
      delivering = "delivering; last refused: " + dead.reason();
    }
  }

  private void refreshStats() throws SQLException {
    long now = System.currentTimeMillis();
    if (now - statsRefreshedAt < 1_000) {
      return;
    }
    statsRefreshedAt = now;
    stats =
        reads.read(
            c -> {
              try (var statement = c.createStatement()) {
                ResultSet pending =
                    statement.executeQuery(
                        "SELECT count(*), min(created_at) FROM outbox WHERE state = 'pending'");
                long count = pending.getLong(1);
                long oldest = pending.getLong(2);
                Optional<Long> oldestAt =
                    pending.wasNull() ? Optional.empty() : Optional.of(oldest);
                long dead =
                    statement
                        .executeQuery("SELECT count(*) FROM outbox WHERE state = 'dead'")
                        .getLong(1);
                return new OutboxStats(count, dead, oldestAt);
              }
            });
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
