package dev.linegate.gateway.pools;

import dev.linegate.connectors.Backoff;
import dev.linegate.connectors.ConnectorStatus;
import dev.linegate.gateway.auth.Actor;
import dev.linegate.gateway.config.GatewayConfig;
import dev.linegate.gateway.config.GatewayConfig.SerialProviderConfig;
import dev.linegate.gateway.config.ProductConfig;
import dev.linegate.gateway.config.ProductConfig.PoolSpec;
import dev.linegate.gateway.core.CoreThread;
import dev.linegate.gateway.store.ReadPool;
import dev.linegate.gateway.store.StoreWriter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps every pool filled (SPEC section 8), on one thread, {@code serial-pools}: below {@code
 * lowWater}, or when a batch waits for more than the pool holds, it asks the provider for more;
 * each page is committed to the pool as it arrives, and whoever waits for serials of that GTIN is
 * told. A provider that is away, slow or answers nonsense is asked again with backoff (up to 5
 * minutes) for as long as it takes; the lines go on with what the pools hold.
 */
public final class SerialPools implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(SerialPools.class);
  private static final Backoff BACKOFF = new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(5));
  private static final Duration IDLE = Duration.ofSeconds(1);
  private static final Duration RATE_WINDOW = Duration.ofHours(1);

  /** A pool's product and what the thread knows of it; written by the thread only. */
  private static final class Pool {
    final ProductConfig product;
    final PoolSpec spec;
    final SerialProvider provider;
    volatile int available;
    volatile OptionalDouble hoursLeft = OptionalDouble.empty();
    volatile @Nullable String lastError;
    volatile boolean suspended;
    int failures;
    Instant nextAttempt = Instant.EPOCH;

    Pool(ProductConfig product, SerialProvider provider) {
      this.product = product;
      this.spec = product.serials().pool().orElseThrow();
      this.provider = provider;
    }
  }

  private final Map<String, Pool> pools;
  private final ReadPool reads;
  private final StoreWriter writer;
  private final CoreThread.Fatal fatal;

  /** Serials a waiting batch needs, per GTIN (the most any one of them needs). */
  private final Map<String, Integer> demand = new ConcurrentHashMap<>();

  /** GTINs whose batches wait: {@code /health} shows their pool as waiting. */
  private final Map<String, Boolean> waiting = new ConcurrentHashMap<>();

  private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();
  private final Semaphore wakeUp = new Semaphore(0);
  private volatile boolean running = true;
  private @Nullable CoreThread thread;

  /** What the thread does now, for {@code /health}: a request, a return, or waiting. */
  private volatile String activity = "starting";

  public SerialPools(
      GatewayConfig config,
      ReadPool reads,
      StoreWriter writer,
      MeterRegistry metrics,
      CoreThread.Fatal fatal) {
    Map<String, SerialProvider> providers =
        config.serialProviders().stream()
            .collect(
                Collectors.toMap(
                    SerialProviderConfig::id, p -> new SerialProvider(p, config.id())));
    this.pools =
        config.products().stream()
            .filter(p -> p.serials().pool().isPresent())
            .collect(
                Collectors.toUnmodifiableMap(
                    ProductConfig::gtin,
                    p -> new Pool(p, providers.get(p.serials().pool().get().provider())),
                    (a, b) -> a));
    this.reads = reads;
    this.writer = writer;
    this.fatal = fatal;
    pools.forEach(
        (gtin, pool) -> {
          Gauge.builder("linegate_serial_pool_available", () -> pool.available)
              .tag("gtin", gtin)
              .description("Serials in the pool, not yet assigned")
              .register(metrics);
          Gauge.builder(
                  "linegate_serial_pool_hours_left",
                  () -> pool.hoursLeft.isPresent() ? pool.hoursLeft.getAsDouble() : Double.NaN)
              .tag("gtin", gtin)
              .description("Hours the pool lasts at the rate of the last hour (NaN: no use)")
              .register(metrics);
        });
  }

  public void start() {
    if (!pools.isEmpty()) {
      thread = CoreThread.start("serial-pools", this::run, fatal);
    }
  }

  /** {@code listener} is told the GTIN of every pool that received serials. */
  public void onSerials(Consumer<String> listener) {
    listeners.add(listener);
  }

  /**
   * A batch of {@code gtin} waits for {@code needed} serials: the pool asks at once for what it
   * lacks; {@code needed} 0: nothing of that GTIN waits any more.
   */
  public void demand(String gtin, int needed) {
    if (needed <= 0) {
      demand.remove(gtin);
      waiting.remove(gtin);
    } else {
      demand.merge(gtin, needed, Math::max);
      waiting.put(gtin, true);
      Pool pool = pools.get(gtin);
      if (pool != null) {
        pool.nextAttempt = Instant.EPOCH;
      }
    }
    wakeUp.release();
  }

  public List<PoolStatus> statuses() {
    List<PoolStatus> statuses = new ArrayList<>();
    pools.forEach(
        (gtin, pool) -> {
          String state;
          if (pool.suspended) {
            state = "suspended";
          } else if (waiting.containsKey(gtin)) {
            state = "waiting";
          } else if (pool.available == 0) {
            state = "empty";
          } else if (pool.available < pool.spec.lowWater()
              || pool.hoursLeft.isPresent()
                  && pool.hoursLeft.getAsDouble() < pool.spec.alarmHours()) {
            state = "low";
          } else {
            state = "ok";
          }
          statuses.add(
              new PoolStatus(
                  gtin,
                  pool.provider.id(),
                  pool.available,
                  pool.hoursLeft,
                  state,
                  Optional.ofNullable(pool.lastError)));
        });
    return statuses;
  }

  /** {@code serial-pools} in {@code /health}: UP while the thread runs. */
  public Optional<ConnectorStatus> status() {
    CoreThread core = thread;
    return core == null
        ? Optional.empty()
        : Optional.of(
            core.status(
                new ConnectorStatus(
                    "serial-pools", ConnectorStatus.State.UP, activity, Instant.now(), 0)));
  }

  private void run() throws InterruptedException {
    while (running) {
      giveBack();
      for (Pool pool : pools.values()) {
        if (!running) {
          return;
        }
        fill(pool);
      }
      activity = "idle: " + pools.size() + " pool(s) above their low water or waiting to ask again";
      wakeUp.tryAcquire(IDLE.toMillis(), TimeUnit.MILLISECONDS);
      wakeUp.drainPermits();
    }
  }

  private void fill(Pool pool) throws InterruptedException {
    String gtin = pool.product.gtin();
    try {
      pool.available = reads.read(c -> PoolStore.unassigned(c, gtin));
      Instant now = Instant.now();
      long used = reads.read(c -> PoolStore.usedSince(c, gtin, now.minus(RATE_WINDOW)));
      pool.hoursLeft =
          used == 0 ? OptionalDouble.empty() : OptionalDouble.of(pool.available / (double) used);
      pool.suspended = reads.read(c -> PoolStore.suspended(c, gtin));
      if (pool.suspended || now.isBefore(pool.nextAttempt)) {
        return;
      }
      int wanted = demand.getOrDefault(gtin, 0);
      Optional<PoolStore.OpenRequest> open = reads.read(c -> PoolStore.openRequest(c, gtin));
      if (open.isEmpty()) {
        if (pool.available >= pool.spec.lowWater() && pool.available >= wanted) {
          return;
        }
        int count =
            (int)
                Math.min(
                    pool.spec.maxRequest(),
                    Math.max(pool.spec.request(), (long) wanted - pool.available));
        open =
            Optional.of(
                writer
                    .submit(tx -> PoolStore.newRequest(tx, gtin, count, Instant.now()))
                    .get(30, TimeUnit.SECONDS));
      }
      boolean filled = fetch(pool, open.get());
      pool.failures = 0;
      pool.lastError = null;
      if (!filled) {
        // A partial fill: keep what came, ask again later, on the same schedule as a failure.
        pool.lastError = "provider " + pool.provider.id() + " filled the last request only in part";
        pool.nextAttempt = Instant.now().plus(BACKOFF.delay(++pool.failures));
      }
    } catch (SerialProvider.Failure e) {
      pool.lastError = e.getMessage();
      Duration wait = BACKOFF.delay(++pool.failures);
      pool.nextAttempt = Instant.now().plus(wait);
      log.warn("Pool {}: {}; asking again in {} s", gtin, e.getMessage(), wait.toSeconds());
    } catch (InterruptedException e) {
      throw e;
    } catch (Exception e) {
      pool.lastError = "the pool's store: " + e.getMessage();
      pool.nextAttempt = Instant.now().plus(BACKOFF.delay(++pool.failures));
      log.error("Pool {}: could not refill", gtin, e);
    }
  }

  /** Returns made through the API, given to their providers until they take them. */
  private void giveBack() throws InterruptedException {
    List<PoolStore.OpenReturn> open;
    try {
      open = reads.read(PoolStore::openReturns);
    } catch (Exception e) {
      log.error("Pools: could not read the returns to make", e);
      return;
    }
    for (PoolStore.OpenReturn given : open) {
      Pool pool = pools.get(given.gtin());
      if (pool == null || Instant.now().isBefore(pool.nextAttempt)) {
        continue; // a product no longer configured: its return waits for it
      }
      activity =
          "giving "
              + given.serials().size()
              + " serials of "
              + given.gtin()
              + " back to provider "
              + pool.provider.id();
      try {
        int returned = pool.provider.giveBack(given.returnId(), given.gtin(), given.serials());
        writer
            .submit(
                tx -> {
                  PoolStore.returned(tx, given.returnId(), returned, Instant.now());
                  return null;
                })
            .get(30, TimeUnit.SECONDS);
        log.info(
            "Pool {}: {} of {} serials given back to provider {}",
            given.gtin(),
            returned,
            given.serials().size(),
            pool.provider.id());
      } catch (SerialProvider.Failure e) {
        pool.lastError = "return: " + e.getMessage();
        pool.nextAttempt = Instant.now().plus(BACKOFF.delay(++pool.failures));
      } catch (InterruptedException e) {
        throw e;
      } catch (Exception e) {
        log.error("Pool {}: could not record a return", given.gtin(), e);
      }
    }
  }

  /**
   * Gives every unassigned serial of the pool back to its provider and stops its refills (SPEC
   * section 8): how many. Empty if there is no pool for the GTIN.
   */
  public Optional<Integer> giveBack(String gtin, String reason, Actor by) throws Exception {
    if (!pools.containsKey(gtin)) {
      return Optional.empty();
    }
    int count = writer.decide(tx -> PoolStore.giveBack(tx, gtin, reason, by, Instant.now()));
    wakeUp.release();
    return Optional.of(count);
  }

  /** Starts the pool's refills again; false if there is no pool for the GTIN. */
  public boolean resume(String gtin, Actor by) throws Exception {
    if (!pools.containsKey(gtin)) {
      return false;
    }
    writer.decide(
        tx -> {
          PoolStore.resume(tx, gtin, by, Instant.now());
          return gtin;
        });
    Pool pool = pools.get(gtin);
    pool.nextAttempt = Instant.EPOCH;
    wakeUp.release();
    return true;
  }

  /** Reads the request's pages, from the first, committing each: true if it was filled. */
  private boolean fetch(Pool pool, PoolStore.OpenRequest request) throws Exception {
    String gtin = pool.product.gtin();
    long started = System.nanoTime();
    String asking =
        "asking provider "
            + pool.provider.id()
            + " for "
            + request.count()
            + " serials of "
            + gtin
            + " (request "
            + request.requestId()
            + "), page ";
    int pageNumber = 1;
    activity = asking + pageNumber;
    SerialProvider.Page page =
        pool.provider.first(request.requestId(), gtin, request.count(), pool.product.serials());
    int kept = 0;
    while (true) {
      SerialProvider.Page current = page;
      PoolStore.Received received =
          writer
              .submit(
                  tx ->
                      PoolStore.receive(
                          tx, request.requestId(), gtin, pool.product.serials(), current.serials()))
              .get(60, TimeUnit.SECONDS);
      kept += received.kept();
      if (!received.refused().isEmpty()) {
        log.warn(
            "Pool {}: {} serial(s) of request {} refused, e.g. {}",
            gtin,
            received.refused().size(),
            request.requestId(),
            received.refused().get(0));
      }
      if (received.kept() > 0) {
        pool.available = reads.read(c -> PoolStore.unassigned(c, gtin));
        listeners.forEach(listener -> listener.accept(gtin));
      }
      if (page.next().isEmpty()) {
        break;
      }
      activity = asking + ++pageNumber;
      page = pool.provider.next(request.requestId(), page.next().get());
    }
    boolean filled = page.filled();
    writer
        .submit(
            tx -> {
              PoolStore.finish(
                  tx, request.requestId(), filled ? "ok" : "insufficient", Instant.now());
              return null;
            })
        .get(30, TimeUnit.SECONDS);
    log.info(
        "Pool {}: request {} for {} serials {}: {} new from provider {} in {} ms",
        gtin,
        request.requestId(),
        request.count(),
        filled ? "filled" : "filled in part",
        kept,
        pool.provider.id(),
        (System.nanoTime() - started) / 1_000_000);
    return filled;
  }

  @Override
  public void close() {
    CoreThread core = thread;
    Runnable stop =
        () -> {
          running = false;
          wakeUp.release();
        };
    if (core == null) {
      stop.run();
    } else {
      // A request to a slow provider is not cut: its page would be asked again at the next start.
      core.stop(stop, Duration.ofSeconds(30));
    }
  }
}
