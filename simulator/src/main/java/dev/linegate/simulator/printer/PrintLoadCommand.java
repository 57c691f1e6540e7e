package dev.linegate.simulator.printer;

import dev.linegate.simulator.mqtt.MqttPlc;
import dev.linegate.simulator.serial.VirtualSerialPair;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Measures labels per second through a gateway: one batch of many units is published over MQTT and
 * the labels are counted as this process's printer prints them.
 */
@Command(
    name = "print-load",
    mixinStandardHelpOptions = true,
    description = {
      "Label throughput: starts a printer on a virtual serial cable (--pty-dir) or TCP (--tcp-port), waits until",
      "the gateway reports that printer UP, publishes one batch and reports labels/s and the share of the",
      "115,200 baud wire rate (11,520 bytes/s) that the label size implies."
    })
public final class PrintLoadCommand implements Callable<Integer> {

  private static final double WIRE_BYTES_PER_SECOND = 115_200 / 10.0;

  @Spec CommandSpec spec;

  @Option(
      names = "--pty-dir",
      description =
          "Make the printer's virtual serial cable here; the gateway's port is <dir>/printerA.")
  @Nullable Path ptyDir;

  @Option(names = "--tcp-port", description = "Listen for raw ZPL on this TCP port instead.")
  @Nullable Integer tcpPort;

  @Option(
      names = "--broker",
      defaultValue = "tcp://127.0.0.1:1883",
      description = "Default: ${DEFAULT-VALUE}.")
  String broker;

  @Option(
      names = "--gateway",
      defaultValue = "http://127.0.0.1:8080",
      description = "Default: ${DEFAULT-VALUE}.")
  String gateway;

  @Option(
      names = "--printer",
      defaultValue = "P1",
      description = "The printer's id in the gateway's configuration. Default: ${DEFAULT-VALUE}.")
  String printerId;

  @Option(
      names = "--line",
      defaultValue = "L1",
      description = "A line printing unit labels on that printer. Default: ${DEFAULT-VALUE}.")
  String line;

  @Option(
      names = "--product",
      defaultValue = "WIDGET-100",
      description = "Default: ${DEFAULT-VALUE}.")
  String product;

  @Option(
      names = "--units",
      defaultValue = "2000",
      description = "Units in the batch, so labels. Default: ${DEFAULT-VALUE}.")
  int units;

  @Option(
      names = "--timeout",
      defaultValue = "300s",
      description = "Give up after this long. Default: ${DEFAULT-VALUE}.")
  Duration timeout;

  @Override
  public Integer call() throws Exception {
    if ((ptyDir == null) == (tcpPort == null)) {
      throw new ParameterException(
          spec.commandLine(), "Give exactly one of --pty-dir and --tcp-port");
    }
    VirtualSerialPair cable = ptyDir == null ? null : VirtualSerialPair.create(ptyDir, "printer");
    try (SimulatedPrinter printer = SimulatedPrinter.start();
        MqttPlc plc = MqttPlc.connect(broker, MqttPlc.DEFAULT_TOPIC)) {
      String wire;
      if (cable != null) {
        printer.listenSerial(cable.b());
        wire = "pty " + cable.a();
      } else {
        wire = "tcp port " + printer.listenTcp(tcpPort);
      }
      System.out.printf(
          "printer on %s; waiting for the gateway to report printer %s UP%n", wire, printerId);
      awaitPrinterUp(System.nanoTime() + timeout.toNanos());

      long published = System.nanoTime();
      plc.publish(line, plc.nextBatchId(line), product, units).get(30, TimeUnit.SECONDS);
      long deadline = published + timeout.toNanos();
      long first = 0;
      int count = 0;
      while (count < units) {
        if (System.nanoTime() > deadline) {
          System.out.printf("timed out: %d of %d labels printed%n", count, units);
          return 1;
        }
        count = printer.labels().size();
        if (count > 0 && first == 0) {
          first = System.nanoTime();
        }
        // Polling a list in this process; 2 ms is far below the figures measured.
        TimeUnit.MILLISECONDS.sleep(2);
      }
      long last = System.nanoTime();
      List<PrintedLabel> labels = printer.labels();
      double bytesPerLabel =
          labels.stream()
              .mapToInt(l -> l.zpl().getBytes(StandardCharsets.ISO_8859_1).length)
              .average()
              .orElse(0);
      double seconds = (last - first) / 1e9;
      double perSecond = (units - 1) / seconds;
      System.out.printf(
          "%s: %d labels, first after %.0f ms, then %.1f labels/s (%.2f s); %.0f bytes/label, %.0f bytes/s = %.0f%% of 115,200 baud%n",
          wire,
          units,
          (first - published) / 1e6,
          perSecond,
          seconds,
          bytesPerLabel,
          perSecond * bytesPerLabel,
          100 * perSecond * bytesPerLabel / WIRE_BYTES_PER_SECOND);
      return 0;
    } finally {
      if (cable != null) {
        cable.close();
      }
    }
  }

  private void awaitPrinterUp(long deadline) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    String check = "\"name\":\"printer:" + printerId + "\",\"status\":\"UP\"";
    while (System.nanoTime() < deadline) {
      try {
        String health =
            http.send(
                    HttpRequest.newBuilder(URI.create(gateway + "/health")).build(),
                    HttpResponse.BodyHandlers.ofString())
                .body();
        if (health.contains(check)) {
          return;
        }
      } catch (java.io.IOException e) {
        // not up yet
      }
      TimeUnit.MILLISECONDS.sleep(100);
    }
    throw new IllegalStateException(
        "the gateway at " + gateway + " never reported printer " + printerId + " UP");
  }
}
