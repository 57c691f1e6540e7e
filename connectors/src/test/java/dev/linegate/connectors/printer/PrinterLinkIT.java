package dev.linegate.connectors.printer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.sun.management.OperatingSystemMXBean;
import dev.linegate.connectors.Backoff;
import dev.linegate.connectors.ConnectorStatus.State;
import dev.linegate.connectors.printer.PrinterUnavailableException.Reason;
import dev.linegate.connectors.serial.SerialSettings;
import dev.linegate.simulator.printer.PrintedLabel;
import dev.linegate.simulator.printer.PrinterFault;
import dev.linegate.simulator.printer.SimulatedPrinter;
import dev.linegate.simulator.serial.VirtualSerialPair;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** PrinterLink against the simulated printer over a socat pty pair and over TCP. */
class PrinterLinkIT {
  private static final Duration STATUS_TIMEOUT = Duration.ofMillis(400);
  private static final Backoff REOPEN = new Backoff(Duration.ofMillis(200), Duration.ofMillis(400));

  enum Transport {
    SERIAL,
    TCP
  }

  @TempDir Path dir;
  private VirtualSerialPair cable;
  private SimulatedPrinter printer;
  private int tcpPort;
  private PrinterLink link;

  @BeforeEach
  void start() throws Exception {
    cable = VirtualSerialPair.create(dir, "zebra");
    printer = SimulatedPrinter.start().listenSerial(cable.b());
    tcpPort = printer.listenTcp(0);
  }

  @AfterEach
  void stop() {
    if (link != null) {
      link.close();
    }
    printer.close();
    cable.close();
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void aReadyPrinterAnswersItsStatusAndIsUp(Transport transport) throws Exception {
    link = link(transport);

    PrinterStatus status = link.queryStatus();

    assertThat(status.fault()).isEmpty();
    assertThat(status.labelsInPrinter()).isZero();
    assertThat(link.status().state()).isEqualTo(State.UP);
    assertThat(link.status().name()).isEqualTo("printer:P1");
  }

  /** The gateway's print queue relies on this: what it sent is what came out, in order. */
  @ParameterizedTest
  @EnumSource(Transport.class)
  void sentLabelsArePrintedAndCountedDownInTheStatus(Transport transport) throws Exception {
    link = link(transport);
    printer.fault(PrinterFault.PAUSE);
    for (int i = 1; i <= 3; i++) {
      link.send(label("SER" + i));
    }

    await().until(() -> printer.labelsRemaining() == 3);
    PrinterStatus paused = link.queryStatus();
    assertThat(paused.paused()).isTrue();
    // Paused before the first one started: three formats waiting, no batch printing.
    assertThat(paused.formatsInBuffer()).isEqualTo(3);
    assertThat(paused.labelsRemaining()).isZero();
    assertThat(paused.labelsInPrinter()).isEqualTo(3);
    assertThat(link.status().state()).isEqualTo(State.DOWN);
    assertThat(link.status().detail()).isEqualTo("paused");

    printer.fault(PrinterFault.NONE);
    await().until(() -> printer.labels().size() == 3);
    assertThat(printer.labels())
        .extracting(label -> label.texts().get(0))
        .containsExactly("SER1", "SER2", "SER3");
    assertThat(link.queryStatus().labelsInPrinter()).isZero();
    assertThat(link.status().state()).isEqualTo(State.UP);
  }

  /** DOMAIN 5: a Zebra is silent in paper out; the silence itself is the fault report. */
  @ParameterizedTest
  @EnumSource(Transport.class)
  void silenceIsReportedAsUnavailableWithTheLikelyCauses(Transport transport) throws Exception {
    link = link(transport);
    link.queryStatus();
    printer.fault(PrinterFault.PAPER_OUT);

    assertThatThrownBy(() -> link.queryStatus())
        .isInstanceOfSatisfying(
            PrinterUnavailableException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.NO_ANSWER))
        .hasMessage(
            "printer:P1: no answer to ~HS within 400 ms (paper out, ribbon out, head open or"
                + " powered off?)");
    assertThat(link.status().state()).isEqualTo(State.DOWN);
    assertThat(link.status().detail()).startsWith("no answer to ~HS");

    printer.fault(PrinterFault.NONE);
    assertThat(link.queryStatus().fault()).isEmpty();
    assertThat(link.status().state()).isEqualTo(State.UP);
  }

  /**
   * A pulled cable: the device disappears. The link must go DOWN, must not reopen before the
   * backoff (a worker polling every 10 ms would otherwise hammer the OS), must not burn a core
   * (jSerialComm's PORT_DISCONNECTED fires in a tight loop on an open lost port), and must work
   * again once the cable is back.
   */
  @Test
  void aPulledCableGoesDownWithoutSpinningAndComesBackWhenPluggedIn() throws Exception {
    link = link(Transport.SERIAL);
    link.queryStatus();
    long attemptsBefore = link.openAttempts();

    cable.unplug();
    assertThatThrownBy(() -> link.queryStatus())
        .isInstanceOfSatisfying(
            PrinterUnavailableException.class,
            e -> assertThat(e.reason()).isIn(Reason.LOST, Reason.NO_ANSWER));
    await().until(() -> link.status().state() == State.DOWN && probe() == Reason.NOT_CONNECTED);
    assertThat(link.status().detail()).contains(cable.a().toString());

    var os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    long cpuBefore = os.getProcessCpuTime();
    long wallBefore = System.nanoTime();
    long attemptsAtStart = link.openAttempts();
    await()
        .pollInterval(Duration.ofMillis(10))
        .during(Duration.ofMillis(1_500))
        .atMost(Duration.ofSeconds(3))
        .until(() -> probe() == Reason.NOT_CONNECTED);
    long window = System.nanoTime() - wallBefore;
    long attempts = link.openAttempts() - attemptsAtStart;
    double cores = (double) (os.getProcessCpuTime() - cpuBefore) / window;

    // Backoff 200..400 ms (jitter down to 160 ms): at most one attempt per 160 ms of the window.
    assertThat(attempts).isBetween(1L, window / Duration.ofMillis(160).toNanos() + 1);
    assertThat(cores).as("CPU cores busy while unplugged").isLessThan(0.5);
    assertThat(link.status().reconnects()).isZero();

    cable.plugIn();
    await().until(() -> probe() == null);
    assertThat(link.status().state()).isEqualTo(State.UP);
    assertThat(link.status().reconnects()).isEqualTo(1);
    assertThat(link.openAttempts()).isGreaterThan(attemptsBefore);

    link.send(label("after the cable"));
    await()
        .until(
            () ->
                printer.labels().stream()
                    .map(PrintedLabel::texts)
                    .anyMatch(t -> t.contains("after the cable")));
  }

  /** A network printer switched off and on: the same semantics over TCP. */
  @Test
  void aNetworkPrinterSwitchedOffIsDownAndReconnectsWhenBack() throws Exception {
    link = link(Transport.TCP);
    link.queryStatus();

    printer.disconnect();
    await().until(() -> probe() == Reason.NOT_CONNECTED);
    assertThat(link.status().state()).isEqualTo(State.DOWN);
    assertThat(link.status().detail()).contains("127.0.0.1:" + tcpPort);

    printer.connect();
    await().until(() -> probe() == null);
    assertThat(link.status().reconnects()).isEqualTo(1);
    link.send(label("back"));
    await().until(() -> printer.labels().size() == 1);
  }

  @Test
  void aMissingPortFailsFastNamingThePortAndWaitsOutTheBackoff() throws Exception {
    Path missing = dir.resolve("ttyNothing");
    link = new PrinterLink(config(missing.toString()));

    assertThatThrownBy(() -> link.send(label("x")))
        .isInstanceOfSatisfying(
            PrinterUnavailableException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.NOT_CONNECTED))
        .hasMessageContaining("serial port " + missing + " does not exist")
        .hasMessageContaining("reopening in");
    assertThatThrownBy(() -> link.queryStatus()).hasMessageContaining("reopening in");
    assertThat(link.openAttempts()).isEqualTo(1);
    assertThat(link.status().state()).isEqualTo(State.DOWN);
  }

  /** Null when the printer answered; otherwise why not. */
  private Reason probe() {
    try {
      link.queryStatus();
      return null;
    } catch (PrinterUnavailableException e) {
      return e.reason();
    }
  }

  private PrinterLink link(Transport transport) {
    return new PrinterLink(
        config(
            transport == Transport.SERIAL ? cable.a().toString() : "tcp://127.0.0.1:" + tcpPort));
  }

  private static PrinterLinkConfig config(String port) {
    return new PrinterLinkConfig(
        "P1", port, SerialSettings.DEFAULT, STATUS_TIMEOUT, Duration.ofSeconds(5), REOPEN);
  }

  private static byte[] label(String text) {
    return ("^XA^FO20,20^A0N,30,30^FD" + text + "^FS^XZ").getBytes(StandardCharsets.US_ASCII);
  }
}
