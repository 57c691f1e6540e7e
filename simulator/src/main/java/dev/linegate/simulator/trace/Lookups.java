package dev.linegate.simulator.trace;

import dev.linegate.simulator.load.Latency;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Times what an operator looks up: a serial, a lot, a page of a lot's serials from its middle.
 * Targets are drawn from random lots, so the database is read where it is cold as well as warm.
 */
final class Lookups {
  private static final Logger LOG = LoggerFactory.getLogger(Lookups.class);
  private static final int PAGE_LIMIT = 100;

  /** A serial of a lot, and a cursor half-way through that lot's serials. */
  record Target(String lot, String serial, String middleCursor) {}

  enum Kind {
    SERIAL("GET /api/serials/{serial}"),
    LOT("GET /api/lots/{lot}"),
    LOT_PAGE("GET /api/lots/{lot}/serials?limit=100&after=<middle>");

    final String label;

    Kind(String label) {
      this.label = label;
    }

    String path(Target target) {
      return switch (this) {
        case SERIAL -> "/api/serials/" + GatewayApi.encode(target.serial());
        case LOT -> "/api/lots/" + GatewayApi.encode(target.lot());
        case LOT_PAGE ->
            "/api/lots/"
                + GatewayApi.encode(target.lot())
                + "/serials?limit="
                + PAGE_LIMIT
                + "&after="
                + target.middleCursor();
      };
    }
  }

  /** One kind of request at one concurrency: its latencies and the requests served per second. */
  record Row(Kind kind, int concurrency, Latency latency, double perSecond) {
    String toText() {
      return String.format(
          Locale.ROOT,
          "%-55s c=%-3d %7.0f req/s  %s",
          kind.label,
          concurrency,
          perSecond,
          latency.toText());
    }
  }

  private final GatewayApi api;
  private final SplittableRandom random;

  Lookups(GatewayApi api, long seed) {
    this.api = api;
    this.random = new SplittableRandom(seed);
  }

  /** {@code count} targets from as many random lots of {@code line} (lots of at least 2 units). */
  List<Target> sample(String line, int count) throws IOException, InterruptedException {
    var lots = api.lots(line).stream().filter(l -> l.quantity() >= 2).toList();
    if (lots.isEmpty()) {
      throw new IOException("line " + line + " has no lot of 2 units or more to look up");
    }
    var targets = new ArrayList<Target>(count);
    for (int i = 0; i < count; i++) {
      var lot = lots.get(random.nextInt(lots.size()));
      var first = api.serials(lot.lot(), Math.min(lot.quantity(), 1000), Optional.empty());
      var half = api.serials(lot.lot(), Math.min(lot.quantity() / 2, 1000), Optional.empty());
      String serial = first.serials().get(random.nextInt(first.serials().size()));
      targets.add(new Target(lot.lot(), serial, half.next().orElseThrow()));
    }
    LOG.info("{} lookup targets from {} lots of line {}", targets.size(), lots.size(), line);
    return targets;
  }

  /**
   * {@code requests} timed requests of {@code kind} on {@code concurrency} threads, each to a
   * random target, after {@code warmup} untimed ones (JIT, connections, SQLite's page cache).
   */
  Row run(Kind kind, List<Target> targets, int requests, int warmup, int concurrency)
      throws Exception {
    drive(kind, targets, warmup, concurrency);
    long start = System.nanoTime();
    double[] millis = drive(kind, targets, requests, concurrency);
    double seconds = (System.nanoTime() - start) / 1e9;
    return new Row(kind, concurrency, Latency.of(millis), requests / seconds);
  }

  private double[] drive(Kind kind, List<Target> targets, int requests, int concurrency)
      throws Exception {
    double[] millis = new double[requests];
    var next = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(concurrency);
    try {
      var workers = new ArrayList<Future<?>>();
      for (int t = 0; t < concurrency; t++) {
        var own = random.split();
        workers.add(
            pool.submit(
                () -> {
                  for (int i; (i = next.getAndIncrement()) < requests; ) {
                    millis[i] = api.timedGet(kind.path(targets.get(own.nextInt(targets.size()))));
                  }
                  return null;
                }));
      }
      for (var worker : workers) {
        worker.get();
      }
    } finally {
      pool.shutdownNow();
    }
    return millis;
  }
}
