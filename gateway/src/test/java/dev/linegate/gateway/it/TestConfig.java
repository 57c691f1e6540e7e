package dev.linegate.gateway.it;

import dev.linegate.simulator.FreePort;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** A gateway configuration for a test: two MQTT lines, the products of the demo, short retries. */
final class TestConfig {

  static final String WIDGET = "WIDGET-100";
  static final String WIDGET_GTIN = "09506000134352";
  static final String GADGET = "GADGET-7";

  private TestConfig() {}

  /** A port nothing listens on (see {@link FreePort}). */
  static int freePort() {
    return FreePort.pick();
  }

  static Path write(Path dir, int httpPort, String brokerUrl, String mqttVersion, String erp)
      throws IOException {
    String lines =
        """
          - id: L1
            lotPattern: "{line}{yy}{julian}{seq:4}"
            source:
              mqtt: { broker: "%s", version: "%s", topic: plant/L1/batch-complete }
          - id: L2
            lotPattern: "{line}-{yyyy}{MM}{dd}-{seq:5}"
            source:
              mqtt: { broker: "%s", version: "%s", topic: plant/L2/batch-complete }
        """
            .formatted(brokerUrl, mqttVersion, brokerUrl, mqttVersion);
    return writeLines(dir, httpPort, lines, erp);
  }

  /**
   * Two OPC UA lines, L1 and L2, on the simulated PLC's conventional nodes; {@code ack} may be
   * overridden for L1.
   */
  static Path writeOpcUa(Path dir, int httpPort, String endpoint, String erpUrl, String l1Ack)
      throws IOException {
    String nodes = "nsu=urn:linegate:simulator:plc;s=%s.Batch.";
    String lines =
        opcuaLine("L1", endpoint, "", nodes.formatted("L1"), l1Ack)
            + "\n"
            + opcuaLine("L2", endpoint, "", nodes.formatted("L2"), nodes.formatted("L2") + "Ack")
            + "\n";
    return writeLines(dir, httpPort, lines, "url: " + erpUrl);
  }

  /**
   * Two OPC UA lines, L1 and L2, on any server whose nodes follow the conventional layout {@code
   * nsu=<namespaceUri>;s=<line>.Batch.*}; {@code settings} are more keys of {@code source.opcua}
   * (security, user), one per line, or empty.
   */
  static Path writeOpcUa(
      Path dir, int httpPort, String endpoint, String namespaceUri, String settings, String erpUrl)
      throws IOException {
    String nodes = "nsu=" + namespaceUri + ";s=%s.Batch.";
    String lines =
        opcuaLine("L1", endpoint, settings, nodes.formatted("L1"), nodes.formatted("L1") + "Ack")
            + "\n"
            + opcuaLine(
                "L2", endpoint, settings, nodes.formatted("L2"), nodes.formatted("L2") + "Ack")
            + "\n";
    return writeLines(dir, httpPort, lines, "url: " + erpUrl);
  }

  /**
   * Two MQTT lines that print: L1 unit labels on printer P1 (a serial port), L2 lot labels on P2 (a
   * network printer), with the shipped templates; a fault that holds labels for a second is
   * reported to the ERP.
   */
  static Path writeLabelled(
      Path dir,
      int httpPort,
      String brokerUrl,
      String erpUrl,
      String unitPrinterPort,
      String lotPrinterPort)
      throws IOException {
    String lines =
        """
          - id: L1
            lotPattern: "{line}{yy}{julian}{seq:4}"
            labels: unit
            printer: P1
            source:
              mqtt: { broker: "%s", topic: plant/L1/batch-complete }
          - id: L2
            lotPattern: "{line}-{yyyy}{MM}{dd}-{seq:5}"
            labels: lot
            printer: P2
            source:
              mqtt: { broker: "%s", topic: plant/L2/batch-complete }
        printers:
          - id: P1
            port: "%s"
            serial: { baud: 115200, flowControl: xonxoff }
            template: ../config/labels/unit-gs1.zpl
            statusIntervalMs: 200
            faultAlarmSeconds: 1
          - id: P2
            port: "%s"
            template: ../config/labels/lot-gs1-128.zpl
            statusIntervalMs: 200
        """
            .formatted(brokerUrl, brokerUrl, unitPrinterPort, lotPrinterPort);
    return writeLines(dir, httpPort, lines, "url: " + erpUrl);
  }

  /**
   * One MQTT line with an operator station: L1 prints unit labels on P1 (a serial port) and has
   * scanner S1 on another serial port.
   */
  static Path writeStation(
      Path dir,
      int httpPort,
      String brokerUrl,
      String erpUrl,
      String printerPort,
      String scannerPort)
      throws IOException {
    String lines =
        """
          - id: L1
            lotPattern: "{line}{yy}{julian}{seq:4}"
            labels: unit
            printer: P1
            scanner: S1
            source:
              mqtt: { broker: "%s", topic: plant/L1/batch-complete }
        printers:
          - id: P1
            port: "%s"
            serial: { baud: 115200, flowControl: xonxoff }
            template: ../config/labels/unit-gs1.zpl
            statusIntervalMs: 200
        scanners:
          - id: S1
            port: "%s"
            verifyWithinSeconds: 1
        """
            .formatted(brokerUrl, printerPort, scannerPort);
    return writeLines(dir, httpPort, lines, "url: " + erpUrl);
  }

  /**
   * One MQTT line L1 that prints unit labels on P1 (a serial port), a packing station PACK1 with
   * scanner S2 (a serial port), and case and pallet labels on P3 (a network printer): WIDGET-100
   * goes five units to a case and four cases to a pallet. {@code erp}: the keys of {@code erp}.
   */
  static Path writePacking(
      Path dir,
      int httpPort,
      String brokerUrl,
      String erp,
      String unitPrinterPort,
      String scannerPort,
      String casePrinterPort)
      throws IOException {
    String lines =
        """
          - id: L1
            lotPattern: "{line}{yy}{julian}{seq:4}"
            labels: unit
            printer: P1
            source:
              mqtt: { broker: "%s", topic: plant/L1/batch-complete }
        printers:
          - id: P1
            port: "%s"
            serial: { baud: 115200, flowControl: xonxoff }
            template: ../config/labels/unit-gs1.zpl
            statusIntervalMs: 200
          - id: P3
            port: "%s"
            template: ../config/labels/lot-gs1-128.zpl
            statusIntervalMs: 200
        scanners:
          - id: S2
            port: "%s"
        stations:
          - { id: PACK1, line: L1, scanner: S2, role: packing }
        gs1: { companyPrefix: "9506000", ssccExtension: 3, location: "urn:epc:id:sgln:9506000.00001.0" }
        """
            .formatted(brokerUrl, unitPrinterPort, casePrinterPort, scannerPort);
    return writeLines(dir, httpPort, lines, erp, PACKAGING);
  }

  private static final String PACKAGING =
      """
          packaging:
            case: { units: 5, printer: P3, template: ../config/labels/case-sscc.zpl }
            pallet: { cases: 4, printer: P3, template: ../config/labels/pallet-sscc.zpl }
      """;

  /** The products of the demo, the given lines (and what follows them), short ERP retries. */
  static Path writeLines(Path dir, int httpPort, String lines, String erp) throws IOException {
    return writeLines(dir, httpPort, lines, erp, "");
  }

  /** {@code widget}: more keys of the WIDGET-100 product (its packaging). */
  private static Path writeLines(Path dir, int httpPort, String lines, String erp, String widget)
      throws IOException {
    String yaml =
        """
        gateway:
          id: edge-test
          dataDir: %s
          http: { host: 127.0.0.1, port: %d }
        products:
          - code: WIDGET-100
            gtin: "09506000134352"
            shelfLifeDays: 730
            serials: { mode: random, length: 12, alphabet: numeric }
        %s  - code: GADGET-7
            gtin: "09521234543213"
            shelfLifeDays: 30
            serials: { mode: sequential, length: 10, reprint: newSerial }
        lines:
        %serp:
        %s
          retry: { initialMs: 100, maxMs: 1000 }
        """
            .formatted(dir.resolve("data"), httpPort, widget, lines, erp.indent(2).stripTrailing());
    Path file = dir.resolve("linegate.yaml");
    Files.writeString(file, yaml);
    DATA_DIRS.put(httpPort, dataDir(file));
    return file;
  }

  private static String opcuaLine(
      String line, String endpoint, String settings, String prefix, String ack) {
    return """
          - id: %s
            lotPattern: "{line}-{yyyy}{MM}{dd}-{seq:4}"
            source:
              opcua:
                endpoint: %s
        %s        nodes:
                  ready: "%sReady"
                  batchId: "%sId"
                  product: "%sProduct"
                  quantity: "%sQuantity"
                  lot: "%sLot"
                  ack: "%s"
        """
        .formatted(
            line,
            endpoint,
            settings.isEmpty() ? "" : settings.indent(8),
            prefix,
            prefix,
            prefix,
            prefix,
            prefix,
            ack)
        .stripTrailing();
  }

  /** The data directory of the configuration last written here for each HTTP port. */
  private static final Map<Integer, Path> DATA_DIRS = new ConcurrentHashMap<>();

  /**
   * The data directory of the gateway configured here to listen on {@code httpPort}, for a client
   * made before the configuration was written (a rig's).
   */
  static Path dataDirOf(int httpPort) {
    Path dataDir = DATA_DIRS.get(httpPort);
    if (dataDir == null) {
      throw new AssertionError("no configuration was written for HTTP port " + httpPort);
    }
    return dataDir;
  }

  /** Where every configuration written here keeps its data: beside the file. */
  static Path dataDir(Path config) {
    return config.getParent().resolve("data");
  }

  /**
   * {@code gateway.http.idleTimeoutSeconds} in the configuration {@code config}, written for {@code
   * httpPort}.
   */
  static void idleTimeout(Path config, int httpPort, Duration timeout) throws IOException {
    Files.writeString(
        config,
        Files.readString(config)
            .replace(
                "port: " + httpPort + " }",
                "port: " + httpPort + ", idleTimeoutSeconds: " + timeout.toSeconds() + " }"));
  }

  /**
   * A gateway whose broker and ERP listen nowhere: its lines stay CONNECTING, which is all some
   * tests need of a running gateway.
   */
  static Path writeWithoutPeers(Path dir, int httpPort) throws IOException {
    return write(
        dir,
        httpPort,
        "tcp://127.0.0.1:" + freePort(),
        "http://127.0.0.1:" + freePort() + "/api/events");
  }

  static Path write(Path dir, int httpPort, String brokerUrl, String erpUrl) throws IOException {
    return write(dir, httpPort, brokerUrl, "3.1.1", "url: " + erpUrl);
  }
}
