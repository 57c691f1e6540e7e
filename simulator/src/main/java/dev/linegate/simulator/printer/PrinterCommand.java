package dev.linegate.simulator.printer;

import dev.linegate.simulator.CtrlC;
import dev.linegate.simulator.serial.VirtualSerialPair;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(
    name = "printer",
    mixinStandardHelpOptions = true,
    description = {
      "A Zebra-like label printer: ZPL in over a serial port and/or TCP, ~HS answered.",
      "On the control port: GET|DELETE /labels, GET /status,"
          + " POST /fault/{paper-out|head-open|ribbon-out|pause|none},"
          + " POST /speed?labelsPerSecond=N, POST /disconnect, POST /connect."
    })
public final class PrinterCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(PrinterCommand.class);

  @Spec CommandSpec spec;

  @Option(names = "--serial", description = "Serial device to read ZPL from.")
  @Nullable Path serial;

  @Option(
      names = "--pty-dir",
      description =
          "Make a virtual serial cable (socat) in this directory: the printer takes one end and"
              + " prints the other, for the gateway.")
  @Nullable Path ptyDir;

  @Option(names = "--tcp-port", description = "TCP port for raw ZPL, as a network printer's 9100.")
  @Nullable Integer tcpPort;

  @Option(names = "--host", defaultValue = "127.0.0.1", description = "Default: ${DEFAULT-VALUE}.")
  String host;

  @Option(
      names = "--control-port",
      defaultValue = "9180",
      description = "HTTP control port. Default: ${DEFAULT-VALUE}.")
  int controlPort;

  @Option(
      names = "--speed",
      defaultValue = "0",
      description = "Labels per second; 0 prints at once. Default: ${DEFAULT-VALUE}.")
  double speed;

  @Override
  public Integer call() throws Exception {
    if (serial == null && ptyDir == null && tcpPort == null) {
      throw new ParameterException(
          spec.commandLine(), "Give at least one of --serial, --pty-dir, --tcp-port");
    }
    if (speed < 0) {
      throw new ParameterException(spec.commandLine(), "--speed must be 0 or more");
    }
    VirtualSerialPair cable = ptyDir == null ? null : VirtualSerialPair.create(ptyDir, "printer");
    try (var ctrlC = CtrlC.install();
        var printer = SimulatedPrinter.start()) {
      printer.speed(speed);
      if (cable != null) {
        printer.listenSerial(cable.b());
        LOG.info("Printer on virtual serial cable; the gateway's printer port: {}", cable.a());
      }
      if (serial != null) {
        printer.listenSerial(serial);
        LOG.info("Printer reading serial port {}", serial);
      }
      if (tcpPort != null) {
        int port = printer.listenTcp(host, tcpPort);
        LOG.info("Printer listening on tcp://{}:{}", host, port);
      }
      int control = printer.serveControl(host, controlPort);
      LOG.info("Printer control on http://{}:{}/labels; Ctrl-C stops it", host, control);
      ctrlC.await();
    } finally {
      if (cable != null) {
        cable.close();
      }
    }
    return 0;
  }
}
