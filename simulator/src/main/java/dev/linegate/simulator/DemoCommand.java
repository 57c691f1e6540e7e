package dev.linegate.simulator;

import dev.linegate.simulator.erp.SimulatedErp;
import dev.linegate.simulator.mqtt.BatchGenerator;
import dev.linegate.simulator.mqtt.EmbeddedBroker;
import dev.linegate.simulator.mqtt.MqttPlc;
import dev.linegate.simulator.opcua.OpcUaDemoLines;
import dev.linegate.simulator.printer.SimulatedPrinter;
import dev.linegate.simulator.scanner.ScannerSettings;
import dev.linegate.simulator.scanner.SimulatedScanner;
import dev.linegate.simulator.serial.VirtualSerialPair;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "MQTT broker, ERP, the lines' PLCs (over MQTT and over OPC UA), two label printers and a"
          + " scanner station in one process, for ./linegate demo.",
      "The MQTT PLCs start once the gateway has subscribed to their topics; runs until Ctrl-C."
    })
public final class DemoCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(DemoCommand.class);

  @Option(names = "--mqtt-port", defaultValue = "1883", description = "Default: ${DEFAULT-VALUE}.")
  int mqttPort;

  @Option(names = "--erp-port", defaultValue = "8081", description = "Default: ${DEFAULT-VALUE}.")
  int erpPort;

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
      names = "--ports-dir",
      defaultValue = "data/demo/ports",
      description = "Where the virtual serial cables go: the gateway opens <dir>/printer-P1A (default: ${DEFAULT-VALUE}).")
  Path portsDir;

  @Option(names = "--printer-port", defaultValue = "9100", description = "TCP port of the network printer P2 (default: ${DEFAULT-VALUE}).")
  int printerPort;

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
    try (var ctrlC = CtrlC.install();
        var broker = EmbeddedBroker.start("127.0.0.1", mqttPort);
        var erp = SimulatedErp.start(erpPort);
        var plc = MqttPlc.connect(broker.url(), line.topic);
        var opcua = OpcUaDemoLines.start(opcuaPort, opcuaLines, line.product, quantity, rate);
        var cable = VirtualSerialPair.create(Files.createDirectories(portsDir), "printer-P1");
        var unitPrinter = SimulatedPrinter.start().listenSerial(cable.b());
        var lotPrinter = SimulatedPrinter.start();
        var scannerCable = VirtualSerialPair.create(portsDir, "scanner-S1");
        var scanner = SimulatedScanner.open(scannerCable.b(), ScannerSettings.DEFAULT.withAim(ScannerSettings.GS1_DATAMATRIX))) {
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
      lotPrinter.listenTcp(printerPort);
      LOG.info("Printer P1 on the virtual serial port {}, printer P2 on tcp://127.0.0.1:{}", cable.a(), printerPort);
      LOG.info("Scanner S1 on the virtual serial port {}: an operator scans P1's labels back, now and then badly", scannerCable.a());
      operator.scheduleWithFixedDelay(new DemoOperator(unitPrinter, scanner)::scanNewLabels, 3, 3, TimeUnit.SECONDS);
      ctrlC.onStop(generator::stop);
      erp.onEvent(event -> LOG.info("ERP <- {}", event.summary()));
      LOG.info("MQTT broker on {}, ERP on {}", broker.url(), erp.url());
      var topics = line.lines.stream().map(plc::topic).toList();
      LOG.info("the PLCs wait for the gateway to subscribe to {}", topics);
      var subscribed =
          CompletableFuture.allOf(
              topics.stream().map(broker::subscribed).toArray(CompletableFuture<?>[]::new));
      if (ctrlC.await(subscribed)) {
        LOG.info("gateway subscribed: one batch every {} s per line", 1 / rate);
        generator.run(plc);
      }
    }
    return 0;
  }
}
