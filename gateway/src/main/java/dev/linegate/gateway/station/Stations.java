package dev.linegate.gateway.station;

import dev.linegate.connectors.ConnectorStatus;
import dev.linegate.connectors.scanner.Scan;
import dev.linegate.connectors.scanner.ScannerSource;
import dev.linegate.gateway.config.GatewayConfig;
import dev.linegate.gateway.config.LineConfig;
import dev.linegate.gateway.config.ScannerConfig;
import dev.linegate.gateway.outbox.Outbox;
import dev.linegate.gateway.store.ReadPool;
import dev.linegate.gateway.store.StoreWriter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Every scanner station: its connector, the line it stands at, and what happens to a scan. */
public final class Stations implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Stations.class);
  private static final int UNVERIFIED_CAP = 100_000;

  private final StoreWriter writer;
  private final ScanCheck check;
  private final Map<String, ScanJudge> judges;
  private final ScrapMode scrapMode;
  private final Map<String, String> scannerOfStation;
  private final List<Station> stations;

  /** A station as the API lists it: a line's verifying scanner, or a packing station. */
  public record Station(String id, String line, String scanner, String role) {}

  private final MeterRegistry metrics;
  private final Consumer<ScanResult> afterScan;
  private final Map<String, String> lineOfScanner;
  private final Map<String, Duration> verifyWithinByLine;
  private final List<ScannerSource> sources;
  private final Map<String, AtomicLong> unverifiedByLine;

  /**
   * {@code scanners}: the configured scanners' connectors, by id; started and closed here. {@code
   * judges}: what the scans of a scanner mean where it is not a line's verifying scanner (packing
   * stations), by scanner id.
   */
  public Stations(
      GatewayConfig config,
      Map<String, ScannerSource> scanners,
      Map<String, ScanJudge> judges,
      ScrapMode scrapMode,
      StoreWriter writer,
      Outbox outbox,
      MeterRegistry metrics,
      Consumer<ScanResult> afterScan) {
    this.writer = writer;
    this.check = new ScanCheck(outbox);
    this.judges = Map.copyOf(judges);
    this.scrapMode = scrapMode;
    this.metrics = metrics;
    this.afterScan = afterScan;
    this.sources = config.scanners().stream().map(scanner -> scanners.get(scanner.id())).toList();
    Map<String, String> lineOfScanner =
        config.lines().stream()
            .filter(l -> l.scanner().isPresent())
            .collect(Collectors.toMap(l -> l.scanner().get(), LineConfig::id));
    config.stations().forEach(station -> lineOfScanner.put(station.scanner(), station.line()));
    this.lineOfScanner = Map.copyOf(lineOfScanner);
    // A line's verifying station is named by its scanner, a packing station by its id.
    Map<String, String> scannerOfStation = new HashMap<>();
    config.lines().stream()
        .flatMap(l -> l.scanner().stream())
        .forEach(scanner -> scannerOfStation.put(scanner, scanner));
    config.stations().forEach(station -> scannerOfStation.put(station.id(), station.scanner()));
    this.scannerOfStation = Map.copyOf(scannerOfStation);
    List<Station> stations = new ArrayList<>();
    config.lines().stream()
        .filter(l -> l.scanner().isPresent())
        .forEach(
            l ->
                stations.add(
                    new Station(l.scanner().get(), l.id(), l.scanner().get(), "verifying")));
    config
        .stations()
        .forEach(s -> stations.add(new Station(s.id(), s.line(), s.scanner(), "packing")));
    this.stations = List.copyOf(stations);
    Map<String, ScannerConfig> byId =
        config.scanners().stream().collect(Collectors.toMap(ScannerConfig::id, s -> s));
    this.verifyWithinByLine =
        config.lines().stream()
            .filter(l -> l.scanner().isPresent())
            .collect(
                Collectors.toMap(LineConfig::id, l -> byId.get(l.scanner().get()).verifyWithin()));
    this.unverifiedByLine =
        verifyWithinByLine.keySet().stream()
            .collect(Collectors.toUnmodifiableMap(line -> line, line -> new AtomicLong()));
    unverifiedByLine.forEach(
        (line, count) ->
            Gauge.builder("linegate_labels_unverified", count, AtomicLong::get)
                .tag("line", line)
                .description(
                    "Unit labels printed longer than the station's verifyWithinSeconds ago and not scanned (counted up to "
                        + UNVERIFIED_CAP
                        + ")")
                .register(metrics));
  }

  /**
   * Counts the labels each station has let pass unscanned, for the metric; run now and then off the
   * event loop.
   */
  public void countUnverified(ReadPool reads) {
    Instant now = Instant.now();
    for (Map.Entry<String, AtomicLong> line : unverifiedByLine.entrySet()) {
      try {
        Instant cutoff = now.minus(verifyWithinByLine.get(line.getKey()));
        line.getValue()
            .set(
                reads.read(c -> ScanLog.countUnverified(c, line.getKey(), cutoff, UNVERIFIED_CAP)));
      } catch (SQLException e) {
        log.warn("Line {}: could not count unverified labels: {}", line.getKey(), e.getMessage());
      }
    }
  }

  public void start() {
    sources.forEach(source -> source.start(this::accept));
  }

  /**
   * One scan, judged in a write of its own; scans of a station are judged in the order they came.
   */
  void accept(Scan scan) {
    Optional<String> line = Optional.ofNullable(lineOfScanner.get(scan.scannerId()));
    ScanJudge judge =
        scrapMode.of(scan.scannerId()).isPresent()
            ? scrapMode
            : judges.getOrDefault(scan.scannerId(), check);
    writer
        .submit(
            tx ->
                judge.judge(
                    tx, scan.scannerId(), line, scan.text(), scan.problem(), scan.receivedAt()))
        .whenComplete(
            (result, failure) -> {
              if (failure != null) {
                log.error(
                    "Scanner {}: scan not recorded: {}", scan.scannerId(), failure.getMessage());
                return;
              }
              metrics
                  .counter(
                      "linegate_scans_total",
                      "scanner",
                      scan.scannerId(),
                      "verdict",
                      result.verdict().name().toLowerCase())
                  .increment();
              if (result.verdict() != ScanResult.Verdict.OK) {
                log.warn(
                    "Scanner {}: {} ({})",
                    scan.scannerId(),
                    result.reason(),
                    ScanResult.shown(result.raw()));
              }
              afterScan.accept(result);
            });
  }

  /**
   * Labels printed before this instant and still not verified are flagged; empty if no station
   * watches the line.
   */
  public Optional<Instant> unverifiedCutoff(String line, Instant now) {
    return Optional.ofNullable(verifyWithinByLine.get(line)).map(now::minus);
  }

  public List<Station> list() {
    return stations;
  }

  /** The scanner of a station: a packing station's, or a line's verifying scanner by its id. */
  public Optional<String> scannerOf(String station) {
    return Optional.ofNullable(scannerOfStation.get(station));
  }

  public Optional<String> lineOf(String scanner) {
    return Optional.ofNullable(lineOfScanner.get(scanner));
  }

  public ScrapMode scrapMode() {
    return scrapMode;
  }

  public List<ConnectorStatus> statuses() {
    return sources.stream().map(ScannerSource::status).toList();
  }

  @Override
  public void close() {
    sources.forEach(ScannerSource::close);
  }
}
