package dev.linegate.simulator.trace;

import com.fasterxml.jackson.databind.JsonNode;
import dev.linegate.simulator.mqtt.MqttPlc;
import dev.linegate.simulator.printer.SimulatedPrinter;
import dev.linegate.simulator.scanner.ScannerSettings;
import dev.linegate.simulator.scanner.SimulatedScanner;
import dev.linegate.simulator.serial.VirtualSerialPair;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One scanner station flat out: makes units on the station's line, then scans their unit labels
 * back to back down a virtual serial cable and times until the gateway has judged the last one.
 * With a printer here, the labels were handed to it and the verdicts are {@code ok}; without one,
 * they are whatever the line's labels setting makes them ({@code none}: flagged "has not been
 * printed"). Either way every verdict is counted: the figure is scans judged per second.
 */
final class Station {
  private static final Logger LOG = LoggerFactory.getLogger(Station.class);
  private static final long POLL_MS = 5;

  record Options(
      Path ptyDir,
      String scanner,
      String line,
      String product,
      int scans,
      int unitsPerBatch,
      Optional<Integer> printerTcpPort,
      String printer,
      String broker,
      String topic,
      Duration timeout) {}

  /**
   * {@code sentSeconds}: first scan to last written; {@code judgedSeconds}: first scan to the last
   * one recorded.
   */
  record Result(
      int scans, double sentSeconds, double judgedSeconds, Map<String, Integer> verdicts) {
    double judgedPerSecond() {
      return scans / judgedSeconds;
    }
  }

  private final GatewayApi api;
  private final Options options;

  Station(GatewayApi api, Options options) {
    this.api = api;
    this.options = options;
  }

  Result run() throws Exception {
    @Nullable SimulatedPrinter printer = null;
    try (var cable = VirtualSerialPair.create(options.ptyDir(), "scanner");
        var scanner =
            SimulatedScanner.open(
                cable.b(), ScannerSettings.DEFAULT.withAim(ScannerSettings.GS1_DATAMATRIX))) {
      LOG.info("scanner on {}: the gateway's scanners[].port must be {}", cable, cable.a());
      awaitUp("scanner:" + options.scanner());
      if (options.printerTcpPort().isPresent()) {
        printer = SimulatedPrinter.start();
        LOG.info(
            "printer {} on tcp://127.0.0.1:{}",
            options.printer(),
            printer.listenTcp(options.printerTcpPort().get()));
        awaitUp("printer:" + options.printer());
      }
      List<UnitLabel> labels = makeUnits(printer);
      return scan(scanner, labels);
    } finally {
      if (printer != null) {
        printer.close();
      }
    }
  }

  /** Publishes the station line's batches and reads back their labels' data from the API. */
  private List<UnitLabel> makeUnits(@Nullable SimulatedPrinter printer) throws Exception {
    int printedBefore = printer == null ? 0 : printer.labels().size();
    Set<String> batchIds = new HashSet<>();
    try (var plc = MqttPlc.connect(options.broker(), options.topic())) {
      for (int left = options.scans(); left > 0; left -= options.unitsPerBatch()) {
        String batchId = plc.nextBatchId(options.line());
        plc.publish(
                options.line(), batchId, options.product(), Math.min(left, options.unitsPerBatch()))
            .get(30, TimeUnit.SECONDS);
        batchIds.add(batchId);
      }
    }
    long deadline = System.nanoTime() + options.timeout().toNanos();
    List<GatewayApi.Lot> lots;
    while ((lots =
                api.lots(options.line()).stream()
                    .filter(l -> batchIds.contains(l.batchId()))
                    .toList())
            .size()
        < batchIds.size()) {
      check(deadline, "lots for " + batchIds.size() + " batches on line " + options.line());
      TimeUnit.MILLISECONDS.sleep(100);
    }
    if (printer != null) {
      // A label counts as handed to the printer once the gateway has recorded it sent, before the
      // bytes go.
      while (printer.labels().size() - printedBefore < options.scans()) {
        check(
            deadline,
            options.scans()
                + " labels printed ("
                + (printer.labels().size() - printedBefore)
                + " so far)");
        TimeUnit.MILLISECONDS.sleep(100);
      }
    }
    var labels = new ArrayList<UnitLabel>(options.scans());
    for (var lot : lots) {
      for (String serial : api.allSerials(lot.lot())) {
        labels.add(new UnitLabel(lot.gtin(), LocalDate.parse(lot.expiryDate()), lot.lot(), serial));
      }
    }
    LOG.info(
        "{} unit labels of {} lots on line {} to scan", labels.size(), lots.size(), options.line());
    return labels;
  }

  /**
   * Scans every label as fast as the cable takes them. Done when the newest scan's id is the M-th
   * after the last one before: scan ids count up, and this is the only scanner scanning.
   */
  private Result scan(SimulatedScanner scanner, List<UnitLabel> labels) throws Exception {
    long before = newestScanId();
    long start = System.nanoTime();
    for (UnitLabel label : labels) {
      scanner.scan(label.elementString());
    }
    long sent = System.nanoTime();
    long deadline = sent + options.timeout().toNanos();
    while (newestScanId() < before + labels.size()) {
      check(deadline, labels.size() + " scans judged");
      TimeUnit.MILLISECONDS.sleep(POLL_MS);
    }
    long judged = System.nanoTime();
    return new Result(
        labels.size(), (sent - start) / 1e9, (judged - start) / 1e9, verdictsAfter(before));
  }

  private long newestScanId() throws IOException, InterruptedException {
    JsonNode items =
        api.get("/api/scans?scanner=" + GatewayApi.encode(options.scanner()) + "&limit=1")
            .path("items");
    return items.isEmpty() ? 0 : items.get(0).path("id").asLong();
  }

  /** Verdicts, with the reason of those that are not ok, of the scans after id {@code before}. */
  private Map<String, Integer> verdictsAfter(long before) throws IOException, InterruptedException {
    var counts = new TreeMap<String, Integer>();
    String cursor = "";
    while (true) {
      JsonNode page =
          api.get(
              "/api/scans?scanner="
                  + GatewayApi.encode(options.scanner())
                  + "&limit=1000"
                  + cursor);
      for (JsonNode scan : page.path("items")) {
        if (scan.path("id").asLong() <= before) {
          return counts;
        }
        String verdict = scan.path("verdict").asText();
        // Reasons name the serial; the part before it is what groups them.
        String key =
            verdict.equals("ok")
                ? verdict
                : verdict + ": " + scan.path("reason").asText().replaceAll("\\d{6,}", "#");
        counts.merge(key, 1, Integer::sum);
      }
      if (!page.path("next").isTextual()) {
        return counts;
      }
      cursor = "&before=" + page.get("next").asText();
    }
  }

  private void awaitUp(String check) throws Exception {
    long deadline = System.nanoTime() + options.timeout().toNanos();
    while (!api.up(check)) {
      check(deadline, check + " UP in the gateway's /health");
      TimeUnit.MILLISECONDS.sleep(200);
    }
  }

  private static void check(long deadline, String waitingFor) throws IOException {
    if (System.nanoTime() - deadline > 0) {
      throw new IOException("timed out waiting for " + waitingFor);
    }
  }
}
