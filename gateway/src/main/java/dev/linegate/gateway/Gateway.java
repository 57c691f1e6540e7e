package dev.linegate.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.linegate.connectors.ConnectorStatus;
import dev.linegate.connectors.batch.BatchSource;
import dev.linegate.gateway.api.ApiServer;
import dev.linegate.gateway.api.HealthReport;
import dev.linegate.gateway.api.LiveFeed;
import dev.linegate.gateway.auth.Access;
import dev.linegate.gateway.config.ConfigException;
import dev.linegate.gateway.config.GatewayConfig;
import dev.linegate.gateway.core.CoreThread;
import dev.linegate.gateway.intake.BatchIntake;
import dev.linegate.gateway.lots.LotClosing;
import dev.linegate.gateway.lots.LotStatusChanges;
import dev.linegate.gateway.lots.SerialChanges;
import dev.linegate.gateway.numbering.Counters;
import dev.linegate.gateway.outbox.Outbox;
import dev.linegate.gateway.outbox.Outputs;
import dev.linegate.gateway.packing.Packing;
import dev.linegate.gateway.pools.SerialPools;
import dev.linegate.gateway.printing.LabelActions;
import dev.linegate.gateway.printing.PrintQueue;
import dev.linegate.gateway.printing.Printers;
import dev.linegate.gateway.rejects.RejectLog;
import dev.linegate.gateway.station.ScanLog;
import dev.linegate.gateway.station.ScrapMode;
import dev.linegate.gateway.station.Stations;
import dev.linegate.gateway.store.DataDirLock;
import dev.linegate.gateway.store.Database;
import dev.linegate.gateway.store.DiskSpace;
import dev.linegate.gateway.store.ReadPool;
import dev.linegate.gateway.store.StoreWriter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running gateway: wires the path of a batch (source -> intake -> store -> print queue and
 * outbox -> printer and ERP) and the API, and takes it down in the reverse order, so that nothing
 * accepted is left half-done.
 */
public final class Gateway implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Gateway.class);
  private static final Duration KEEP_REJECTS = Duration.ofDays(90);

  private final List<AutoCloseable> started = new ArrayList<>();

  private Gateway() {}

  /** {@code fatal} hears of the death of a thread the gateway cannot run without. */
  public static Gateway start(GatewayConfig config, CoreThread.Fatal fatal) throws Exception {
    Gateway gateway = new Gateway();
    try {
      gateway.wire(config, fatal);
      return gateway;
    } catch (Exception e) {
      gateway.close();
      throw e;
    }
  }

  private void wire(GatewayConfig config, CoreThread.Fatal fatal) throws Exception {
    ObjectMapper json = new ObjectMapper();
    PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new JvmMemoryMetrics().bindTo(metrics);
    new JvmGcMetrics().bindTo(metrics);
    new ProcessorMetrics().bindTo(metrics);

    try {
      started.add(DataDirLock.acquire(config.dataDir()));
    } catch (DataDirLock.InUse e) {
      throw new ConfigException(
          List.of("gateway.dataDir: " + config.dataDir() + " is in use by " + e.holder()));
    }
    Database database = Database.open(config.dataDir());
    Gauge.builder("linegate_store_wal_bytes", database::walBytes)
        .description("Size of the database's write-ahead log in bytes")
        .register(metrics);
    // The gateway's own readers (printers, outbox, housekeeping) and the API's: no flood of API
    // reads can hold up printing or delivery.
    ReadPool reads = new ReadPool(database, 4);
    started.add(reads);
    ReadPool apiReads =
        new ReadPool(database, "api", 4, Duration.ofSeconds(5), ReadPool.WhenBusy.FAIL);
    started.add(apiReads);
    StoreWriter writer = new StoreWriter(database, 10_000, fatal);
    started.add(writer);
    // Before anything is numbered: a database older than the numbers issued has its counters moved
    // past them.
    Counters counters =
        writer.submit(tx -> Counters.open(tx, config.dataDir())).get(30, TimeUnit.SECONDS);
    // Closed just before the writer, after everything that numbers.
    started.add(() -> writer.submit(counters::recordStopped).get(30, TimeUnit.SECONDS));
    Gauge.builder("linegate_store_queue", writer::queued)
        .description("Writes waiting for the next commit")
        .register(metrics);

    Outputs outputs = Outputs.start(config.erp(), config.id(), reads, writer, metrics, fatal);
    started.add(outputs);

    Vertx vertx = Vertx.vertx();
    started.add(
        () -> vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS));
    LiveFeed live = new LiveFeed(vertx, config.http().idleTimeout());

    Connectors connectors = new Connectors(config, metrics);
    started.add(connectors);
    Outbox outbox = new Outbox(json, config.id(), outputs.names());
    Printers printers =
        new Printers(
            config, connectors.printers(), new PrintQueue(outbox, json), reads, writer, metrics);
    started.add(printers);
    printers.start();
    Runnable afterNewEvents =
        () -> {
          outputs.wake();
          printers.wake();
          live.publish("changed", json.createObjectNode().put("what", "lots"));
        };
    SerialChanges serialChanges =
        new SerialChanges(
            config.linesById(), config.productsByCode(), counters, writer, outbox, afterNewEvents);
    Packing packing =
        new Packing(
            config.stations(),
            config.productsByCode(),
            config.gs1(),
            counters,
            writer,
            outbox,
            afterNewEvents);
    Stations stations =
        new Stations(
            config,
            connectors.scanners(),
            packing.judges(),
            new ScrapMode(serialChanges),
            writer,
            outbox,
            metrics,
            scan -> {
              outputs.wake();
              // A packing scan that fills a case queues its label.
              printers.wake();
              live.scan(scan);
            });
    started.add(stations);
    DiskSpace disk = new DiskSpace(config.dataDir(), config.minFreeDiskMb(), metrics);
    started.add(disk);
    SerialPools pools = new SerialPools(config, reads, writer, metrics, fatal);
    started.add(pools);
    BatchIntake intake =
        new BatchIntake(
            config, writer, counters, outbox, disk, pools, json, metrics, afterNewEvents);
    List<BatchSource> sources = connectors.lines();

    Supplier<List<ConnectorStatus>> checks =
        () -> {
          List<ConnectorStatus> all =
              new ArrayList<>(
                  sources.stream().map(s -> intake.overlay(s.line(), s.status())).toList());
          pools.status().ifPresent(all::add);
          all.addAll(printers.statuses());
          all.addAll(stations.statuses());
          all.addAll(outputs.statuses());
          all.add(writer.status());
          all.add(disk.status(intake.held()));
          return all;
        };
    ConnectorMeters.bind(checks, metrics);
    HealthReport health = new HealthReport(checks, outputs::stats, pools::statuses);
    LabelActions labels = new LabelActions(config.linesById(), writer, outbox, afterNewEvents);
    LotStatusChanges lotStatus = new LotStatusChanges(writer, outbox, afterNewEvents);
    LotClosing closing = new LotClosing(config.linesById(), writer, outbox, afterNewEvents);
    HttpServer api =
        new ApiServer(
                vertx,
                apiReads,
                outputs,
                labels,
                printers,
                lotStatus,
                serialChanges,
                closing,
                stations,
                packing,
                config.productsByCode(),
                live,
                config.lines(),
                health,
                metrics,
                new Access(
                    apiReads,
                    writer,
                    Duration.ofMinutes(config.auth().sessionMinutes()),
                    Clock.systemUTC()),
                pools,
                config.auth().protectMetrics())
            .listen(config.http())
            // Netty's "Address already in use" names no port; the operator needs the key to change.
            .recover(
                e ->
                    Future.failedFuture(
                        new IOException(
                            "gateway.http: cannot listen on "
                                + config.http().host()
                                + ":"
                                + config.http().port()
                                + ": "
                                + e.getMessage(),
                            e)))
            .toCompletionStage()
            .toCompletableFuture()
            .get(30, TimeUnit.SECONDS);
    log.info("HTTP API on {} (health /health, metrics /metrics)", config.http().url());

    ScheduledExecutorService housekeeping =
        Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "housekeeping"));
    started.add(housekeeping::shutdownNow);
    housekeeping.scheduleWithFixedDelay(() -> purge(writer, config), 0, 1, TimeUnit.HOURS);
    housekeeping.scheduleWithFixedDelay(() -> checkpoint(database), 1, 1, TimeUnit.HOURS);
    housekeeping.scheduleWithFixedDelay(
        () -> stations.countUnverified(reads), 5, 5, TimeUnit.SECONDS);

    stations.start();
    pools.start();
    // Sources last: a signal must find everything behind it running. Closed first, in reverse.
    for (BatchSource source : sources) {
      started.add(source);
      source.start(intake::accept);
    }
    // Closed first of all: no operator's request may arrive at a printer or a store that is
    // stopping.
    started.add(
        () -> api.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS));
    log.info(
        "Gateway {} started: {} line(s), data in {}",
        config.id(),
        sources.size(),
        config.dataDir().toAbsolutePath());
  }

  private static void purge(StoreWriter writer, GatewayConfig config) {
    Instant now = Instant.now();
    writer
        .submit(
            tx ->
                Outbox.purgeDelivered(
                        tx, now.minus(Duration.ofDays(config.erp().keepDeliveredDays())))
                    + RejectLog.purgeOlderThan(tx, now.minus(KEEP_REJECTS))
                    + ScanLog.purgeOlderThan(tx, now.minus(KEEP_REJECTS)))
        .whenComplete(
            (purged, failure) -> {
              if (failure != null) {
                log.warn("Housekeeping failed: {}", failure.getMessage());
              } else if (purged > 0) {
                log.info(
                    "Housekeeping: purged {} delivered events, old rejects and old scans", purged);
              }
            });
  }

  /**
   * Keeps the WAL bounded over months; a reader in the way (a backup) makes it wait for the next
   * hour.
   */
  private static void checkpoint(Database database) {
    try {
      Database.Checkpoint done = database.checkpoint();
      if (!done.truncated()) {
        log.info(
            "Housekeeping: the WAL ({} bytes) could not be emptied, a reader still needs it (a backup?); trying again in an hour",
            done.walBytes());
      }
    } catch (SQLException e) {
      log.warn("Housekeeping: checkpoint failed: {}", e.getMessage());
    }
  }

  @Override
  public void close() {
    for (int i = started.size() - 1; i >= 0; i--) {
      try {
        started.get(i).close();
      } catch (Exception e) {
        log.warn("Stopping {}: {}", started.get(i).getClass().getSimpleName(), e.getMessage());
      }
    }
    started.clear();
  }
}
