package dev.linegate.simulator.trace;

import dev.linegate.simulator.erp.SimulatedErp;
import dev.linegate.simulator.mqtt.MqttPlc;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "trace-load",
    mixinStandardHelpOptions = true,
    description = {
      "Traceability benchmark against a running gateway, in three optional parts:",
      "fill (--fill-serials: batches over MQTT on --line until its lots hold that many serials),",
      "lookups (--lookups: p50/p95/p99/max of GET /api/serials/{s}, /api/lots/{lot} and a page from"
          + " the middle of a lot, one client and --concurrency clients),",
      "station (--scanner-pty-dir: units made on --station-line, their labels scanned back to back"
          + " down a virtual serial cable; scans judged per second). Point the gateway's"
          + " scanners[].port at <dir>/scannerA.",
      "The API wants a login: the token in LINEGATE_TOKEN (tokens create NAME --role viewer) is"
          + " sent as Authorization: Bearer."
    })
public final class TraceLoadCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(TraceLoadCommand.class);

  @Option(
      names = "--gateway",
      defaultValue = "http://127.0.0.1:8080",
      description = "The gateway's HTTP API (default: ${DEFAULT-VALUE}).")
  URI gateway;

  @Option(
      names = "--broker",
      defaultValue = "tcp://127.0.0.1:1883",
      description = "Default: ${DEFAULT-VALUE}.")
  String broker;

  @Option(
      names = "--topic",
      defaultValue = MqttPlc.DEFAULT_TOPIC,
      description = "Topic per line; {line} is replaced (default: ${DEFAULT-VALUE}).")
  String topic;

  @Option(
      names = "--line",
      defaultValue = "L1",
      description = "The line filled and looked up (default: ${DEFAULT-VALUE}).")
  String line;

  @Option(
      names = "--product",
      defaultValue = "WIDGET-100",
      description = "Default: ${DEFAULT-VALUE}.")
  String product;

  @Option(
      names = "--fill-serials",
      description =
          "Publish batches until --line's lots hold this many serials (those already there count).")
  @Nullable Long fillSerials;

  @Option(
      names = "--units-per-batch",
      defaultValue = "1000",
      description = "Units per batch, for the fill and the station (default: ${DEFAULT-VALUE}).")
  int unitsPerBatch;

  @Option(
      names = "--fill-rate",
      defaultValue = "100",
      description = "Batches per second while filling (default: ${DEFAULT-VALUE}).")
  double fillRate;

  @Option(
      names = "--lookups",
      defaultValue = "2000",
      description =
          "Timed requests of each kind and concurrency; 0 skips the lookups (default: ${DEFAULT-VALUE}).")
  int lookups;

  @Option(
      names = "--sample-lots",
      defaultValue = "200",
      description = "Lookup targets, each from a random lot of --line (default: ${DEFAULT-VALUE}).")
  int sampleLots;

  @Option(
      names = "--concurrency",
      defaultValue = "1",
      description =
          "Also run the lookups with this many clients at once (default: ${DEFAULT-VALUE}: one operator only).")
  int concurrency;

  @Option(
      names = "--seed",
      defaultValue = "1",
      description = "Seed for the lookup targets (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--scanner-pty-dir",
      description =
          "Run the station part: the scanner's virtual serial cable is made here; the gateway's scanner port is <dir>/scannerA.")
  @Nullable Path scannerPtyDir;

  @Option(
      names = "--scanner",
      defaultValue = "S1",
      description = "The scanner's id in the gateway's configuration (default: ${DEFAULT-VALUE}).")
  String scanner;

  @Option(
      names = "--station-line",
      defaultValue = "L2",
      description =
          "The line the scanner stands at; its units are made for the station part (default: ${DEFAULT-VALUE}).")
  String stationLine;

  @Option(
      names = "--scans",
      defaultValue = "5000",
      description = "Labels scanned at the station (default: ${DEFAULT-VALUE}).")
  int scans;

  @Option(
      names = "--printer-tcp-port",
      description =
          "Serve the station line's printer here on TCP (speed 0: instant), so its labels are printed and scans verify them.")
  @Nullable Integer printerTcpPort;

  @Option(
      names = "--printer",
      defaultValue = "P2",
      description = "That printer's id in the gateway's configuration (default: ${DEFAULT-VALUE}).")
  String printer;

  @Option(
      names = "--erp-port",
      description =
          "Run an ERP here on this port for the gateway's events (else they wait in its outbox).")
  @Nullable Integer erpPort;

  @Option(
      names = "--timeout",
      defaultValue = "10m",
      description = "Longest wait for the gateway in each part (default: ${DEFAULT-VALUE}).")
  Duration timeout;

  @Override
  public Integer call() throws Exception {
    var api = new GatewayApi(gateway, Optional.ofNullable(System.getenv("LINEGATE_TOKEN")));
    try (var erp = erpPort == null ? null : SimulatedErp.start(erpPort)) {
      if (erp != null) {
        LOG.info("ERP on {}", erp.url());
      }
      if (fillSerials != null) {
        var fill =
            new Fill(
                    api,
                    new Fill.Options(
                        broker,
                        topic,
                        line,
                        product,
                        fillSerials,
                        unitsPerBatch,
                        fillRate,
                        timeout))
                .run();
        print(
            "fill %s: %d serials there before, %d added in %.1f s: %.0f serials/s (%.1f batches/s of %d)",
            line,
            fill.existing(),
            fill.added(),
            fill.seconds(),
            fill.serialsPerSecond(),
            fill.serialsPerSecond() / unitsPerBatch,
            unitsPerBatch);
      }
      if (lookups > 0) {
        runLookups(api);
      }
      if (scannerPtyDir != null) {
        var options =
            new Station.Options(
                scannerPtyDir,
                scanner,
                stationLine,
                product,
                scans,
                unitsPerBatch,
                Optional.ofNullable(printerTcpPort),
                printer,
                broker,
                topic,
                timeout);
        var result = new Station(api, options).run();
        print(
            "station %s at %s: %d scans sent in %.2f s (%.0f/s), judged in %.2f s: %.0f scans judged/s",
            scanner,
            stationLine,
            result.scans(),
            result.sentSeconds(),
            result.scans() / result.sentSeconds(),
            result.judgedSeconds(),
            result.judgedPerSecond());
        result.verdicts().forEach((verdict, count) -> print("  %6d %s", count, verdict));
      }
    }
    return 0;
  }

  private void runLookups(GatewayApi api) throws Exception {
    var runner = new Lookups(api, seed);
    var targets = runner.sample(line, sampleLots);
    int warmup = Math.max(1, lookups / 10);
    for (var kind : Lookups.Kind.values()) {
      print("%s", runner.run(kind, targets, lookups, warmup, 1).toText());
      if (concurrency > 1) {
        print("%s", runner.run(kind, targets, lookups, warmup, concurrency).toText());
      }
    }
  }

  private static void print(String format, Object... args) {
    System.out.println(String.format(Locale.ROOT, format, args));
  }
}
