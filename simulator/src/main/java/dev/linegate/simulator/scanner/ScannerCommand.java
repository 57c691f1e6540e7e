package dev.linegate.simulator.scanner;

import dev.linegate.simulator.CtrlC;
import dev.linegate.simulator.serial.VirtualSerialPair;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "scanner",
    mixinStandardHelpOptions = true,
    description = {
      "A serial barcode scanner at an operator station: codes out, each with its terminator.",
      "On the control port: POST /scan (body: the code; ?aim=]C1 names its symbology),"
          + " POST /garbage, POST /scan-back?printer=http://host:port&noRead=0.05&misread=0.01."
    })
public final class ScannerCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(ScannerCommand.class);

  @ArgGroup(multiplicity = "1")
  Wire wire;

  static final class Wire {
    @Option(names = "--serial", required = true, description = "Serial device to send scans to.")
    @Nullable Path serial;

    @Option(
        names = "--pty-dir",
        required = true,
        description =
            "Make a virtual serial cable (socat) in this directory: the scanner takes one end and"
                + " prints the other, for the gateway.")
    @Nullable Path ptyDir;
  }

  @Option(
      names = "--terminator",
      defaultValue = "cr",
      description = "cr, lf or crlf. Default: ${DEFAULT-VALUE}.")
  Terminator terminator;

  @Option(
      names = "--aim",
      arity = "0..1",
      fallbackValue = ScannerSettings.GS1_DATAMATRIX,
      description =
          "Send AIM symbology identifiers; the value is the one for codes posted without ?aim"
              + " (default when given without value: ${FALLBACK-VALUE}).")
  @Nullable String aim;

  @Option(
      names = "--seed",
      defaultValue = "1",
      description = "Seed for no-reads, misreads and garbage. Default: ${DEFAULT-VALUE}.")
  long seed;

  @Option(names = "--host", defaultValue = "127.0.0.1", description = "Default: ${DEFAULT-VALUE}.")
  String host;

  @Option(
      names = "--control-port",
      defaultValue = "9181",
      description = "HTTP control port. Default: ${DEFAULT-VALUE}.")
  int controlPort;

  @Override
  public Integer call() throws Exception {
    var settings = new ScannerSettings(terminator, Optional.ofNullable(aim), seed);
    Path ptyDir = wire.ptyDir;
    VirtualSerialPair cable = ptyDir == null ? null : VirtualSerialPair.create(ptyDir, "scanner");
    Path serial = cable != null ? cable.b() : wire.serial;
    try (var ctrlC = CtrlC.install();
        var scanner = SimulatedScanner.open(serial, settings)) {
      if (cable != null) {
        LOG.info("Scanner on virtual serial cable; the gateway's scanner port: {}", cable.a());
      } else {
        LOG.info("Scanner sending to serial port {}", serial);
      }
      int control = scanner.serveControl(host, controlPort);
      LOG.info("Scanner control on http://{}:{}/scan; Ctrl-C stops it", host, control);
      ctrlC.await();
    } finally {
      if (cable != null) {
        cable.close();
      }
    }
    return 0;
  }
}
