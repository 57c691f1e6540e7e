package dev.linegate.simulator.load;

import dev.linegate.simulator.BatchPublisher;
import dev.linegate.simulator.Signalled;
import dev.linegate.simulator.erp.ErpEvent;
import dev.linegate.simulator.erp.SimulatedErp;
import dev.linegate.simulator.mqtt.BatchGenerator;
import dev.linegate.simulator.mqtt.BatchGenerator.Published;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives a running gateway: signals batches at an even rate (over MQTT, or raised on an OPC UA PLC
 * run here), waits until each has its lot at the gateway and its {@code lot.completed} event (for a
 * lot of more than one part of serials, its last {@code lot.serials} event) at an ERP embedded
 * here, and measures. A batch's clock starts when it goes out: published over MQTT, Ready raised
 * over OPC UA.
 */
public final class LoadRun {
  private static final Logger LOG = LoggerFactory.getLogger(LoadRun.class);
  private static final long POLL_MS = 100;
  private static final long PROGRESS_NANOS = TimeUnit.SECONDS.toNanos(5);

  /** Pages of lots stop at the run's start; this margin absorbs clock granularity. */
  private static final Duration CLOCK_MARGIN = Duration.ofSeconds(1);

  private record BatchKey(String line, String batchId) {}

  /** When the ERP stopped and started accepting connections again, in {@link System#nanoTime()}. */
  private record OutageWindow(long refusedNanos, long backNanos) {}

  private final LoadOptions options;
  private final BatchGenerator generator;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final ConcurrentLinkedQueue<Published> published = new ConcurrentLinkedQueue<>();
  private final Map<BatchKey, ErpEvent> deliveries = new ConcurrentHashMap<>();
  private final AtomicLong duplicateLots = new AtomicLong();

  public LoadRun(LoadOptions options) {
    this.options = options;
    var publishing =
        new BatchGenerator.Options(
            options.allLines(),
            options.rate(),
            options.count(),
            options.duration(),
            options.product(),
            options.quantity(),
            0,
            0);
    generator = new BatchGenerator(publishing, new SplittableRandom(), published::add);
  }

  /** Ends publishing and waiting early; {@link #run()} then reports what it has. */
  public void stop() {
    stopped.countDown();
    generator.stop();
  }

  public LoadReport run() throws Exception {
    var runStart = Instant.now();
    try (var erp = SimulatedErp.start(options.erpPort());
        var plc = LinePublishers.open(options)) {
      String runMark = "-" + plc.runId() + "-";
      erp.onEvent(
          event -> {
            // A large lot is delivered with the last part of its serials.
            if (event.completesLot() && event.data().path("batchId").asText().contains(runMark)) {
              recordDelivery(event);
            }
          });
      warmUp(plc);
      if (options.erpDownWhilePublishing()) {
        erp.refuseConnections();
      }
      LOG.info(
          "publishing at {} batches/s on {}; ERP at {}",
          options.rate(),
          options.allLines().stream().map(plc::destination).toList(),
          erp.url());
      CompletableFuture<Optional<OutageWindow>> outage =
          options
              .erpOutage()
              .map(o -> scheduleOutage(erp, o))
              .orElse(CompletableFuture.completedFuture(Optional.empty()));
      generator.run(plc);
      Optional<OutageWindow> window = outage.join();
      Map<BatchKey, Published> sent = acknowledged();
      LOG.info(
          "published {} batches; waiting up to {} s for lots and deliveries",
          sent.size(),
          options.timeout().toSeconds());
      long acceptedNanos = System.nanoTime();
      if (options.erpDownWhilePublishing()) {
        erp.acceptConnections();
        LOG.info("the ERP accepts connections again: the backlog may drain");
      }
      long deadline = acceptedNanos + options.timeout().toNanos();
      awaitDeliveries(sent, deadline);
      var lots = lotsAtGateway(sent, runStart.minus(CLOCK_MARGIN), deadline);
      return report(sent, lots, erp, acceptedNanos, window);
    }
  }

  /** The ERP refuses connections for the outage's length, starting {@code after} from now. */
  private CompletableFuture<Optional<OutageWindow>> scheduleOutage(
      SimulatedErp erp, LoadOptions.ErpOutage outage) {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            if (stopped.await(outage.after().toNanos(), TimeUnit.NANOSECONDS)) {
              return Optional.empty();
            }
            erp.refuseConnections();
            long refused = System.nanoTime();
            LOG.info("the ERP refuses connections for {} s", outage.length().toSeconds());
            stopped.await(outage.length().toNanos(), TimeUnit.NANOSECONDS);
            erp.acceptConnections();
            LOG.info("the ERP accepts connections again");
            return Optional.of(new OutageWindow(refused, System.nanoTime()));
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            erp.acceptConnections();
            return Optional.empty();
          }
        },
        task -> new Thread(task, "erp-outage").start());
  }

  /**
   * Publishes unmeasured batches at the run's rate and waits until the ERP has all their events.
   */
  private void warmUp(BatchPublisher plc) throws InterruptedException {
    if (options.warmup().isZero()) {
      return;
    }
    var warm =
        new BatchGenerator.Options(
            options.allLines(),
            options.rate(),
            OptionalLong.empty(),
            Optional.of(options.warmup()),
            options.product(),
            options.quantity(),
            0,
            0);
    LOG.info("warming up for {} s at {} batches/s", options.warmup().toSeconds(), options.rate());
    long warmBatches = new BatchGenerator(warm, new SplittableRandom(), p -> {}).run(plc).batches();
    long deadline = System.nanoTime() + options.timeout().toNanos();
    // The ERP listener records the warm-up's events too: they carry this run's mark.
    while (deliveries.size() < warmBatches && System.nanoTime() < deadline) {
      if (stopped.await(POLL_MS, TimeUnit.MILLISECONDS)) {
        return;
      }
    }
    deliveries.clear();
    duplicateLots.set(0);
  }

  private void recordDelivery(ErpEvent event) {
    var key =
        new BatchKey(event.data().path("line").asText(), event.data().path("batchId").asText());
    if (deliveries.putIfAbsent(key, event) != null) {
      duplicateLots.incrementAndGet();
      LOG.warn(
          "a second delivery of the lot of batch {} of {}: {}",
          key.batchId(),
          key.line(),
          event.summary());
    }
  }

  /**
   * The batches the broker (MQTT) or the gateway (OPC UA Ack) acknowledged, by line and batch id.
   */
  private Map<BatchKey, Published> acknowledged() {
    var sent = new HashMap<BatchKey, Published>();
    for (var p : published) {
      if (p.acked().isDone() && !p.acked().isCompletedExceptionally()) {
        sent.put(new BatchKey(p.line(), p.batchId()), p);
      }
    }
    return sent;
  }

  private long delivered(Map<BatchKey, Published> sent) {
    return sent.keySet().stream().filter(deliveries::containsKey).count();
  }

  private Map<BatchKey, GatewayLot> lotsAtGateway(
      Map<BatchKey, Published> sent, Instant since, long deadline) throws InterruptedException {
    var gateway = new GatewayLots(options.gateway(), options.gatewayToken());
    var found = new HashMap<BatchKey, GatewayLot>();
    do {
      try {
        for (String line : options.allLines()) {
          for (var lot : gateway.committedSince(line, since)) {
            var key = new BatchKey(lot.line(), lot.batchId());
            if (sent.containsKey(key)) {
              found.put(key, lot);
            }
          }
        }
      } catch (IOException e) {
        LOG.warn("cannot read lots from the gateway at {}: {}", options.gateway(), e.toString());
      }
      LOG.info("gateway has lots for {} of {} batches", found.size(), sent.size());
    } while (found.size() < sent.size()
        && System.nanoTime() - deadline < 0
        && !stopped.await(1, TimeUnit.SECONDS));
    return found;
  }

  /** Waits until the ERP has every batch sent, the deadline passes or the run is stopped. */
  private void awaitDeliveries(Map<BatchKey, Published> sent, long deadline)
      throws InterruptedException {
    long nextProgress = System.nanoTime() + PROGRESS_NANOS;
    long delivered;
    while ((delivered = delivered(sent)) < sent.size()
        && System.nanoTime() - deadline < 0
        && !stopped.await(POLL_MS, TimeUnit.MILLISECONDS)) {
      if (System.nanoTime() - nextProgress >= 0) {
        LOG.info("ERP has lot.completed for {} of {} batches", delivered, sent.size());
        nextProgress += PROGRESS_NANOS;
      }
    }
  }

  private LoadReport report(
      Map<BatchKey, Published> sent,
      Map<BatchKey, GatewayLot> lots,
      SimulatedErp erp,
      long acceptedNanos,
      Optional<OutageWindow> outage) {
    List<Published> all = List.copyOf(published);
    var delivered = new HashMap<BatchKey, ErpEvent>();
    sent.keySet()
        .forEach(
            key -> Optional.ofNullable(deliveries.get(key)).ifPresent(e -> delivered.put(key, e)));
    double[] toCommitted =
        lots.entrySet().stream()
            .mapToDouble(
                e -> millis(signalled(sent.get(e.getKey())).sentAt(), e.getValue().committedAt()))
            .toArray();
    double[] toErp =
        delivered.entrySet().stream()
            .mapToDouble(
                e ->
                    (e.getValue().receivedNanos() - signalled(sent.get(e.getKey())).sentNanos())
                        / 1e6)
            .toArray();
    double[] readyToAck =
        sent.values().stream()
            .filter(p -> options.opcuaLines().contains(p.line()))
            .mapToDouble(p -> signalled(p).millisToAcknowledgment())
            .toArray();
    return new LoadReport(
        options.rate(),
        achievedRate(all),
        sent.size(),
        all.size() - sent.size(),
        lots.size(),
        sent.size() - lots.size(),
        delivered.size(),
        sent.size() - delivered.size(),
        erp.duplicates(),
        duplicateLots.get(),
        throughput(sent.values(), lots.values()),
        Latency.of(toCommitted),
        Latency.of(toErp),
        options.opcuaLines().isEmpty() ? null : Latency.of(readyToAck),
        options.erpDownWhilePublishing() ? drain(erp.events(), acceptedNanos) : null,
        outage.map(o -> recovery(o, sent, delivered, erp.events())).orElse(null));
  }

  /**
   * The backlog is what the ERP lacked when it came back: the batches published before then whose
   * lot.completed had not arrived.
   */
  private static Recovery recovery(
      OutageWindow outage,
      Map<BatchKey, Published> sent,
      Map<BatchKey, ErpEvent> delivered,
      List<ErpEvent> events) {
    long back = outage.backNanos();
    List<Optional<ErpEvent>> backlog =
        sent.entrySet().stream()
            .filter(e -> e.getValue().publishedNanos() - back < 0)
            .map(e -> Optional.ofNullable(delivered.get(e.getKey())))
            .filter(d -> d.isEmpty() || d.get().receivedNanos() - back >= 0)
            .toList();
    Double drained = null;
    if (backlog.stream().allMatch(Optional::isPresent)) {
      long last = backlog.stream().mapToLong(d -> d.get().receivedNanos()).max().orElse(back);
      drained = secondsAfter(back, last);
    }
    OptionalLong first =
        events.stream().mapToLong(ErpEvent::receivedNanos).filter(at -> at - back >= 0).min();
    return new Recovery(
        secondsAfter(outage.refusedNanos(), back),
        backlog.size(),
        first.isPresent() ? secondsAfter(back, first.getAsLong()) : null,
        drained);
  }

  private static double secondsAfter(long fromNanos, long toNanos) {
    return (toNanos - fromNanos) / 1e9;
  }

  /** n messages paced at rate r span n - 1 intervals: one interval more makes a perfect run r. */
  private double achievedRate(List<Published> all) {
    var nanos = all.stream().mapToLong(Published::publishedNanos).summaryStatistics();
    return all.isEmpty()
        ? 0
        : all.size() / ((nanos.getMax() - nanos.getMin()) / 1e9 + 1 / options.rate());
  }

  /** Only for batches acknowledged: their future is done. */
  private static Signalled signalled(Published published) {
    return published.acked().join();
  }

  /** Lots committed per second, from the first batch sent to the last commit. */
  private static double throughput(Collection<Published> sent, Collection<GatewayLot> lots) {
    var firstPublished = sent.stream().map(p -> signalled(p).sentAt()).min(Instant::compareTo);
    var lastCommitted = lots.stream().map(GatewayLot::committedAt).max(Instant::compareTo);
    if (firstPublished.isEmpty() || lastCommitted.isEmpty()) {
      return 0;
    }
    double seconds = millis(firstPublished.get(), lastCommitted.get()) / 1e3;
    return seconds <= 0 ? 0 : lots.size() / seconds;
  }

  /** Over events of every type: the backlog holds label events too. */
  private static Drain drain(List<ErpEvent> events, long acceptedNanos) {
    var drained = events.stream().filter(e -> e.receivedNanos() >= acceptedNanos).toList();
    long last = drained.stream().mapToLong(ErpEvent::receivedNanos).max().orElse(acceptedNanos);
    double seconds = Math.max(0, last - acceptedNanos) / 1e9;
    return new Drain(seconds, drained.size(), seconds == 0 ? 0 : drained.size() / seconds);
  }

  private static double millis(Instant from, Instant to) {
    return Duration.between(from, to).toNanos() / 1e6;
  }
}
