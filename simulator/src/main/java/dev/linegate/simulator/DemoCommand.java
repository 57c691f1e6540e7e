package dev.linegate.simulator;

import dev.linegate.simulator.erp.SimulatedErp;
import dev.linegate.simulator.kafka.KafkaBroker;
import dev.linegate.simulator.mqtt.BatchGenerator;
import dev.linegate.simulator.mqtt.EmbeddedBroker;
import dev.linegate.simulator.mqtt.MqttPlc;
import dev.linegate.simulator.opcua.OpcUaDemoLines;
import dev.linegate.simulator.printer.SimulatedPrinter;
import dev.linegate.simulator.scanner.ScannerSettings;
import dev.linegate.simulator.scanner.SimulatedScanner;
import dev.linegate.simulator.serial.VirtualSerialPair;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "MQTT broker, ERP, the lines' PLCs (over MQTT and over OPC UA), three label printers, a"
          + " scanner station and a packing station in one process, for ./linegate demo.",
      "Exits with 1 and says what to do when a part cannot start (a port in use, socat missing)."
          + " The MQTT PLCs start once the gateway has subscribed to their topics; runs until Ctrl-C."
    })
public final class DemoCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(DemoCommand.class);

  /** The topic of config/demo.yaml's erp.kafka. */
  private static final String KAFKA_TOPIC = "linegate.events";

  /** How printer P1 and scanner S1 are wired to the gateway. */
  enum Serial {
    /** Virtual serial cables, made by socat. */
    PTY,
    /** TCP, as to devices behind a serial device server: for a machine without socat. */
    TCP
  }

  @Option(names = "--mqtt-port", defaultValue = "1883", description = "Default: ${DEFAULT-VALUE}.")
  int mqttPort;

  @Option(names = "--erp-port", defaultValue = "8081", description = "Default: ${DEFAULT-VALUE}.")
  int erpPort;

  @Option(
      names = "--kafka-port",
      defaultValue = "9092",
      description =
          "The Kafka broker (erp.kafka's peer) on this port; 0: no broker (default: ${DEFAULT-VALUE}).")
  int kafkaPort;

  @Option(
      names = "--kafka-data",
      description = "The Kafka broker's directory (default: a new temporary one).")
  @Nullable Path kafkaData;

  @Mixin LineOptions line;

  @Option(
      names = "--opcua-lines",
      split = ",",
      defaultValue = "",
      description = "Lines whose PLC speaks OPC UA (the Ready/Ack handshake), comma separated.")
  List<String> opcuaLines;

  @Option(names = "--opcua-port", defaultValue = "4840", description = "Default: ${DEFAULT-VALUE}.")
  int opcuaPort;

  @Option(
      names = "--serial",
      defaultValue = "pty",
      description =
          "How printer P1 and scanner S1 are wired: pty (virtual serial cables made by socat; the gateway opens"
              + " <ports-dir>/printer-P1A and scanner-S1A) or tcp (the gateway connects to --unit-printer-tcp-port and"
              + " --scanner-tcp-port on 127.0.0.1); default: ${DEFAULT-VALUE}.")
  Serial serial;

  @Option(
      names = "--ports-dir",
      defaultValue = "data/demo/ports",
      description =
          "Where the virtual serial cables go with --serial pty (default: ${DEFAULT-VALUE}).")
  Path portsDir;

  @Option(
      names = "--printer-port",
      defaultValue = "9100",
      description = "TCP port of the network printer P2 (default: ${DEFAULT-VALUE}).")
  int printerPort;

  @Option(
      names = "--unit-printer-tcp-port",
      defaultValue = "9101",
      description = "TCP port of printer P1 with --serial tcp (default: ${DEFAULT-VALUE}).")
  int unitPrinterTcpPort;

  @Option(
      names = "--scanner-tcp-port",
      defaultValue = "9102",
      description = "TCP port of scanner S1 with --serial tcp (default: ${DEFAULT-VALUE}).")
  int scannerTcpPort;

  @Option(
      names = "--case-printer-port",
      defaultValue = "9103",
      description = "TCP port of the case and pallet printer P3 (default: ${DEFAULT-VALUE}).")
  int casePrinterPort;

  @Option(
      names = "--packing-scanner-tcp-port",
      defaultValue = "9104",
      description =
          "TCP port of scanner S2 at packing station PACK1, always on TCP (default: ${DEFAULT-VALUE}).")
  int packingScannerPort;

  @Option(
      names = "--ready-file",
      description =
          "Written once every part listens, so that a script can start the gateway then; removed on exit.")
  @Nullable Path readyFile;

  @Option(
      names = "--quantity",
      defaultValue = "12",
      description = "Units per batch (default: ${DEFAULT-VALUE}).")
  int quantity;

  @Option(
      names = "--rate",
      defaultValue = "0.5",
      description = "Batches per second per line (default: ${DEFAULT-VALUE}).")
  double rate;

  @Override
  public Integer call() throws Exception {
    var options =
        new BatchGenerator.Options(
            line.lines,
            rate * line.lines.size(),
            OptionalLong.empty(),
            Optional.empty(),
            line.product,
            quantity,
            0,
            0);
    var generator =
        new BatchGenerator(
            options,
            new SplittableRandom(),
            published -> published.acked().thenRun(() -> LOG.info("PLC {}", published.describe())));
    var opcuaLines = this.opcuaLines.stream().filter(l -> !l.isBlank()).toList();
    var atBroker = new DemoPort("the MQTT broker", mqttPort, "--mqtt-port", "DEMO_MQTT_PORT");
    var atErp = new DemoPort("the ERP", erpPort, "--erp-port", "DEMO_ERP_PORT");
    var atOpcua = new DemoPort("the OPC UA PLC", opcuaPort, "--opcua-port", "DEMO_OPCUA_PORT");
    var atKafka = new DemoPort("the Kafka broker", kafkaPort, "--kafka-port", "DEMO_KAFKA_PORT");
    var atLotPrinter =
        new DemoPort("printer P2", printerPort, "--printer-port", "DEMO_PRINTER_PORT");
    var atUnitPrinter =
        new DemoPort(
            "printer P1", unitPrinterTcpPort, "--unit-printer-tcp-port", "DEMO_P1_TCP_PORT");
    var atScanner =
        new DemoPort("scanner S1", scannerTcpPort, "--scanner-tcp-port", "DEMO_S1_TCP_PORT");
    var atCasePrinter =
        new DemoPort("printer P3", casePrinterPort, "--case-printer-port", "DEMO_P3_PORT");
    var atPackingScanner =
        new DemoPort(
            "scanner S2", packingScannerPort, "--packing-scanner-tcp-port", "DEMO_S2_TCP_PORT");
    var ports =
        new ArrayList<>(List.of(atBroker, atErp, atLotPrinter, atCasePrinter, atPackingScanner));
    if (!opcuaLines.isEmpty()) {
      ports.add(atOpcua);
    }
    if (kafkaPort != 0) {
      ports.add(atKafka);
    }
    if (serial == Serial.TCP) {
      ports.addAll(List.of(atUnitPrinter, atScanner));
    }
    checkFree(ports);
    boolean pty = serial == Serial.PTY;
    var scannerSettings = ScannerSettings.DEFAULT.withAim(ScannerSettings.GS1_DATAMATRIX);
    // The cables first: without socat the demo fails before anything else has started.
    try (var ctrlC = CtrlC.install();
        var printerCable = pty ? cable("printer P1", "printer-P1") : null;
        var scannerCable = pty ? cable("scanner S1", "scanner-S1") : null;
        var broker = atBroker.start(() -> EmbeddedBroker.start("127.0.0.1", mqttPort));
        var erp = atErp.start(() -> SimulatedErp.start(erpPort));
        var kafka =
            kafkaPort == 0
                ? null
                : atKafka.start(
                    () ->
                        KafkaBroker.start(
                            kafkaData != null
                                ? kafkaData
                                : Files.createTempDirectory("linegate-demo-kafka"),
                            "127.0.0.1",
                            kafkaPort));
        var plc = MqttPlc.connect(broker.url(), line.topic);
        var opcua =
            atOpcua.start(
                () -> OpcUaDemoLines.start(opcuaPort, opcuaLines, line.product, quantity, rate));
        var unitPrinter = SimulatedPrinter.start();
        var lotPrinter = SimulatedPrinter.start();
        var casePrinter = SimulatedPrinter.start();
        var packingScanner =
            atPackingScanner.start(
                () -> SimulatedScanner.listenTcp(packingScannerPort, scannerSettings));
        var scanner =
            scannerCable != null
                ? SimulatedScanner.open(scannerCable.b(), scannerSettings)
                : atScanner.start(
                    () -> SimulatedScanner.listenTcp(scannerTcpPort, scannerSettings))) {
      String unitPrinterAt;
      if (printerCable != null) {
        unitPrinter.listenSerial(printerCable.b());
        unitPrinterAt = "the virtual serial port " + printerCable.a();
      } else {
        unitPrinterAt =
            "tcp://127.0.0.1:"
                + atUnitPrinter.start(() -> unitPrinter.listenTcp(unitPrinterTcpPort));
      }
      atLotPrinter.start(() -> lotPrinter.listenTcp(printerPort));
      atCasePrinter.start(() -> casePrinter.listenTcp(casePrinterPort));
      ScheduledExecutorService operator =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread thread = new Thread(r, "demo-operator");
                thread.setDaemon(true);
                return thread;
              });
      ctrlC.onStop(operator::shutdownNow);
      // As fast as a real desktop printer, so that the queue and the printer status can be seen.
      unitPrinter.speed(10);
      LOG.info("Printer P1 on {}, printer P2 on tcp://127.0.0.1:{}", unitPrinterAt, printerPort);
      LOG.info(
          "Scanner S1 on {}: an operator scans P1's labels back, now and then badly",
          scannerCable != null
              ? "the virtual serial port " + scannerCable.a()
              : scanner.endpoint());
      operator.scheduleWithFixedDelay(
          new DemoOperator(unitPrinter, scanner)::scanNewLabels, 3, 3, TimeUnit.SECONDS);
      LOG.info(
          "Packing station PACK1: scanner S2 on {}, case printer P3 on tcp://127.0.0.1:{}; a packer"
              + " packs P1's units into cases and the cases onto pallets",
          packingScanner.endpoint(),
          casePrinterPort);
      operator.scheduleWithFixedDelay(
          new DemoPacker(unitPrinter, casePrinter, packingScanner)::packNewUnits,
          4,
          3,
          TimeUnit.SECONDS);
      ctrlC.onStop(generator::stop);
      erp.onEvent(event -> LOG.info("ERP <- {}", event.summary()));
      erp.onEpcisEvent(event -> LOG.info("EPCIS <- {}", event.summary()));
      LOG.info(
          "MQTT broker on {}, ERP on {} (EPCIS capture on {})",
          broker.url(),
          erp.url(),
          erp.epcisUrl());
      if (kafka != null) {
        kafka.follow(KAFKA_TOPIC, record -> LOG.info("Kafka <- {}", record));
        LOG.info("Kafka broker (KRaft) on {}, topic {}", kafka.bootstrap(), KAFKA_TOPIC);
      }
      var topics = line.lines.stream().map(plc::topic).toList();
      LOG.info("the PLCs wait for the gateway to subscribe to {}", topics);
      var subscribed =
          CompletableFuture.allOf(
              topics.stream().map(broker::subscribed).toArray(CompletableFuture<?>[]::new));
      markReady();
      if (ctrlC.await(subscribed)) {
        LOG.info("gateway subscribed: one batch every {} s per line", 1 / rate);
        generator.run(plc);
      }
    } finally {
      if (readyFile != null) {
        Files.deleteIfExists(readyFile);
      }
    }
    return 0;
  }

  /**
   * Every taken port at once, before anything starts, so that one run tells all there is to fix.
   */
  private static void checkFree(List<DemoPort> ports) {
    List<String> problems =
        ports.stream().map(DemoPort::problem).flatMap(Optional::stream).toList();
    if (!problems.isEmpty()) {
      throw new IllegalStateException(String.join(System.lineSeparator() + "  ", problems));
    }
  }

  private VirtualSerialPair cable(String device, String name) {
    try {
      return VirtualSerialPair.create(Files.createDirectories(portsDir), name);
    } catch (IOException e) {
      throw new IllegalStateException(
          device
              + " needs a virtual serial cable: "
              + e.getMessage()
              + "; install socat, or put P1 and S1 on TCP with --serial tcp (./linegate demo: DEMO_SERIAL=tcp, which it picks by itself without socat)",
          e);
    }
  }

  private void markReady() throws IOException {
    if (readyFile != null) {
      Path dir = readyFile.toAbsolutePath().getParent();
      if (dir != null) {
        Files.createDirectories(dir);
      }
      Files.writeString(readyFile, ProcessHandle.current().pid() + "\n");
    }
  }
}
