package dev.linegate.connectors.scanner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.management.OperatingSystemMXBean;
import dev.linegate.connectors.Backoff;
import dev.linegate.connectors.ConnectorStatus.State;
import dev.linegate.connectors.serial.SerialSettings;
import dev.linegate.simulator.scanner.ScannerSettings;
import dev.linegate.simulator.scanner.SimulatedScanner;
import dev.linegate.simulator.scanner.Terminator;
import dev.linegate.simulator.serial.VirtualSerialPair;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** ScannerSource against the simulated scanner over a socat pty pair. */
class ScannerSourceIT {
  private static final String GS = "\u001d";
  private static final String ELEMENT_STRING =
      "0109506000134352" + "10L126327001" + GS + "21A1B2C3";
  private static final Backoff REOPEN = new Backoff(Duration.ofMillis(200), Duration.ofMillis(400));
  private static final Duration WITHIN = Duration.ofSeconds(5);

  @TempDir Path dir;
  private final BlockingQueue<Scan> scans = new LinkedBlockingQueue<>();
  private VirtualSerialPair cable;
  private SimulatedScanner scanner;
  private ScannerSource source;

  @BeforeEach
  void plugIn() throws Exception {
    cable = VirtualSerialPair.create(dir, "scanner");
  }

  @AfterEach
  void unplug() {
    if (source != null) {
      source.close();
    }
    if (scanner != null) {
      scanner.close();
    }
    cable.close();
  }

  /**
   * DOMAIN 6: scanners end scans with CR, LF or CR LF; each must give the scans and nothing else.
   */
  @ParameterizedTest
  @EnumSource(Terminator.class)
  void everyTerminatorEndsAScanAndNoEmptyScansAppear(Terminator terminator) throws Exception {
    connect(ScannerSettings.DEFAULT.withTerminator(terminator), 4096);

    scanner.scan("4006381333931");
    scanner.scan("SECOND");
    scanner.scan("THIRD");

    assertThat(texts(next(3))).containsExactly("4006381333931", "SECOND", "THIRD");
    assertThat(scans.poll(300, TimeUnit.MILLISECONDS)).as("no empty scan after a CR LF").isNull();
  }

  /**
   * The GS1 parser needs the AIM identifier and the GS separators exactly as the scanner sent them.
   */
  @Test
  void aimIdentifierAndGroupSeparatorsArriveIntact() throws Exception {
    connect(ScannerSettings.DEFAULT.withAim("]d2"), 4096);

    scanner.scan(ELEMENT_STRING);

    Scan scan = next(1).get(0);
    assertThat(scan.text()).isEqualTo("]d2" + ELEMENT_STRING);
    assertThat(scan.scannerId()).isEqualTo("S1");
    assertThat(scan.problem()).isEmpty();
  }

  /** ISO-8859-1: every byte but the terminators comes out as the same byte. */
  @Test
  void everyByteValueIsKept() throws Exception {
    connect(ScannerSettings.DEFAULT, 4096);
    byte[] all = new byte[254];
    int n = 0;
    for (int b = 0; b < 256; b++) {
      if (b != '\r' && b != '\n') {
        all[n++] = (byte) b;
      }
    }

    scanner.sendRaw(concat(all, "\r"));

    assertThat(next(1).get(0).bytes()).isEqualTo(all);
  }

  @Test
  void manyScansInOneWriteAreSeparated() throws Exception {
    connect(ScannerSettings.DEFAULT, 4096);

    scanner.sendRaw(ascii("A1\rB2\nC3\r\nD4\r"));

    assertThat(texts(next(4))).containsExactly("A1", "B2", "C3", "D4");
  }

  /**
   * A slow line (or a USB adapter flushing early) delivers a scan in pieces: it is still one scan.
   */
  @Test
  void aScanSplitOverManyWritesIsOneScan() throws Exception {
    connect(ScannerSettings.DEFAULT, 4096);

    for (char c : ("]C1" + ELEMENT_STRING).toCharArray()) {
      scanner.sendRaw(new byte[] {(byte) c});
    }
    scanner.sendRaw(ascii("\r"));
    assertThat(texts(next(1))).containsExactly("]C1" + ELEMENT_STRING);

    // The LF of a CR LF arrives after the scan was delivered: it must not start the next one.
    scanner.sendRaw(ascii("\nNEXT\r"));
    assertThat(texts(next(1))).containsExactly("NEXT");
  }

  /** A scanner without terminator, or noise, must not grow memory: the scan is cut and marked. */
  @Test
  void anOverLongScanIsDeliveredCutWithTheReasonAndTheNextScanIsClean() throws Exception {
    connect(ScannerSettings.DEFAULT, 64);

    scanner.sendRaw(ascii("X".repeat(1000)));
    scanner.sendRaw(ascii("Y".repeat(1000) + "\rAFTER\r"));

    List<Scan> received = next(2);
    assertThat(received.get(0).text()).isEqualTo("X".repeat(64));
    assertThat(received.get(0).problem())
        .hasValueSatisfying(p -> assertThat(p).contains("64 bytes"));
    assertThat(received.get(1).text()).isEqualTo("AFTER");
    assertThat(received.get(1).problem()).isEmpty();
    assertThat(scans.poll(300, TimeUnit.MILLISECONDS)).isNull();
  }

  /** A listener that throws must not stop the station: the next scan is delivered. */
  @Test
  void aFailingListenerDoesNotStopTheScanner() throws Exception {
    scanner = SimulatedScanner.open(cable.b(), ScannerSettings.DEFAULT);
    source = new ScannerSource(config(cable.a().toString(), 4096));
    source.start(
        scan -> {
          if (scan.text().equals("BOOM")) {
            throw new IllegalStateException("listener bug");
          }
          scans.add(scan);
        });
    await().until(() -> source.status().up());

    scanner.scan("BOOM");
    scanner.scan("FINE");

    assertThat(texts(next(1))).containsExactly("FINE");
  }

  /**
   * A pulled cable: the port is closed at once and reported DOWN, it is not reopened faster than
   * the backoff nor with a busy loop, and scans flow again once the cable is back.
   */
  @Test
  void aPulledCableGoesDownWithoutSpinningAndComesBackWhenPluggedIn() throws Exception {
    connect(ScannerSettings.DEFAULT, 4096);
    scanner.scan("BEFORE");
    assertThat(texts(next(1))).containsExactly("BEFORE");

    cable.unplug();
    await().until(() -> source.status().state() == State.DOWN);
    assertThat(source.status().detail()).contains(cable.a().toString());

    var os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    long cpuBefore = os.getProcessCpuTime();
    long wallBefore = System.nanoTime();
    long attemptsAtStart = source.openAttempts();
    await()
        .during(Duration.ofMillis(1_500))
        .atMost(Duration.ofSeconds(3))
        .until(() -> source.status().state() == State.DOWN);
    long window = System.nanoTime() - wallBefore;
    long attempts = source.openAttempts() - attemptsAtStart;
    double cores = (double) (os.getProcessCpuTime() - cpuBefore) / window;

    // Backoff 200..400 ms (jitter down to 160 ms): at most one attempt per 160 ms of the window.
    assertThat(attempts).isBetween(1L, window / Duration.ofMillis(160).toNanos() + 1);
    assertThat(cores).as("CPU cores busy while unplugged").isLessThan(0.5);
    assertThat(source.status().detail()).contains("does not exist");
    assertThat(source.status().reconnects()).isZero();

    cable.plugIn();
    await().until(() -> source.status().up() && scanner.connected());
    assertThat(source.status().reconnects()).isEqualTo(1);
    scanner.scan("AFTER");
    assertThat(texts(next(1))).containsExactly("AFTER");
  }

  /** A scanner not plugged in when the gateway starts: DOWN naming the port, then UP when it is. */
  @Test
  void aPortMissingAtStartIsRetriedWithBackoffUntilItAppears() throws Exception {
    Path late = dir.resolve("lateA");
    source = new ScannerSource(config(late.toString(), 4096));
    source.start(scans::add);

    await().until(() -> source.status().state() == State.DOWN);
    assertThat(source.status().detail())
        .startsWith("serial port " + late + " does not exist; retrying in ");
    assertThat(source.status().name()).isEqualTo("scanner:S1");
    await()
        .during(Duration.ofMillis(500))
        .atMost(Duration.ofSeconds(2))
        .until(() -> source.status().state() == State.DOWN);
    assertThat(source.openAttempts()).isLessThanOrEqualTo(500 / 160 + 2);

    try (var lateCable = VirtualSerialPair.create(dir, "late");
        var lateScanner = SimulatedScanner.open(lateCable.b(), ScannerSettings.DEFAULT)) {
      await().until(() -> source.status().up());
      lateScanner.scan("HELLO");
      assertThat(texts(next(1))).containsExactly("HELLO");
      source.close();
      assertThat(source.status().state()).isEqualTo(State.STOPPED);
    }
  }

  /** A scanner behind a serial device server is read the same way over raw TCP. */
  @Test
  void aScannerBehindASerialDeviceServerIsReadOverTcp() throws Exception {
    try (var server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      source = new ScannerSource(config("tcp://127.0.0.1:" + server.getLocalPort(), 4096));
      source.start(scans::add);
      try (Socket device = server.accept()) {
        OutputStream out = device.getOutputStream();
        out.write(ascii("]d2" + ELEMENT_STRING + "\r\n"));
        out.flush();
        assertThat(texts(next(1))).containsExactly("]d2" + ELEMENT_STRING);
      }
      await().until(() -> source.status().state() == State.DOWN);
      assertThat(source.status().detail()).contains("closed the connection");
    }
  }

  private void connect(ScannerSettings settings, int maxScanLength) {
    scanner = SimulatedScanner.open(cable.b(), settings);
    source = new ScannerSource(config(cable.a().toString(), maxScanLength));
    source.start(scans::add);
    await().until(() -> source.status().up());
  }

  private static ScannerSourceConfig config(String port, int maxScanLength) {
    return new ScannerSourceConfig("S1", port, SerialSettings.DEFAULT, REOPEN, maxScanLength);
  }

  /** The next {@code count} scans, each within the timeout, or fails. */
  private List<Scan> next(int count) throws InterruptedException {
    var received = new ArrayList<Scan>();
    for (int i = 0; i < count; i++) {
      Scan scan = scans.poll(WITHIN.toMillis(), TimeUnit.MILLISECONDS);
      assertThat(scan)
          .as("scan %d of %d within %s; got %s", i + 1, count, WITHIN, received)
          .isNotNull();
      received.add(scan);
    }
    return received;
  }

  private static List<String> texts(List<Scan> scans) {
    return scans.stream().map(Scan::text).toList();
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.ISO_8859_1);
  }

  private static byte[] concat(byte[] bytes, String tail) {
    byte[] end = ascii(tail);
    byte[] all = new byte[bytes.length + end.length];
    System.arraycopy(bytes, 0, all, 0, bytes.length);
    System.arraycopy(end, 0, all, bytes.length, end.length);
    return all;
  }
}
