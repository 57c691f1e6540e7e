package dev.linegate.simulator.scanner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.linegate.simulator.printer.Barcode;
import dev.linegate.simulator.printer.Barcode.Symbology;
import dev.linegate.simulator.printer.PrintedLabel;
import dev.linegate.simulator.printer.SimulatedPrinter;
import dev.linegate.simulator.scanner.ScanBack.Outcome;
import dev.linegate.simulator.serial.VirtualSerialPair;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The scanner over a real wire: a socat pty pair, read raw at the gateway's end. */
class SimulatedScannerTest {
  static final String GS = "\u001d";
  static final String ELEMENT_STRING = "0109506000134352" + "10L126327001" + GS + "21A1B2C3";
  private static final Duration WITHIN = Duration.ofSeconds(5);

  @TempDir Path dir;
  private VirtualSerialPair cable;
  private GatewayEnd gateway;
  private SimulatedScanner scanner;

  @BeforeEach
  void plugIn() throws Exception {
    cable = VirtualSerialPair.create(dir, "scanner");
    gateway = GatewayEnd.open(cable.a());
  }

  @AfterEach
  void unplug() {
    if (scanner != null) {
      scanner.close();
    }
    gateway.close();
    cable.close();
  }

  /**
   * DOMAIN 6: the gateway must cope with every terminator; the simulator must send each exactly.
   */
  @ParameterizedTest
  @EnumSource(Terminator.class)
  void aScanArrivesByteForByteWithAimIdentifierGsAndTerminator(Terminator terminator) {
    String end =
        switch (terminator) {
          case CR -> "\r";
          case LF -> "\n";
          case CRLF -> "\r\n";
        };
    scanner =
        SimulatedScanner.open(cable.b(), settings().withTerminator(terminator).withAim("]d2"));

    String sent = scanner.scan(ELEMENT_STRING);

    String expected = "]d2" + ELEMENT_STRING + end;
    assertThat(sent).isEqualTo("]d2" + ELEMENT_STRING);
    assertThat(gateway.read(expected.length(), WITHIN)).isEqualTo(expected);
  }

  @Test
  void withAimOffNoIdentifierIsSentEvenForANamedSymbology() {
    scanner = SimulatedScanner.open(cable.b(), settings());

    scanner.scanAs("]C1", "0109506000134352");

    assertThat(gateway.read(17, WITHIN)).isEqualTo("0109506000134352\r");
  }

  /** Rates of 0: every printed label comes back, each with its own symbology's identifier. */
  @Test
  void scanBackOfAPerfectReaderSendsEveryPrintedLabelsFirstBarcode() throws Exception {
    scanner = SimulatedScanner.open(cable.b(), settings().withAim("]d2"));
    try (var printer = SimulatedPrinter.start()) {
      print(
          printer,
          "^XA^FO20,20^BXN,6,200,,,,_^FD_10109506000134352"
              + "10L1_121SER1^FS^XZ"
              + "^XA^FO20,20^A0N,30,30^FDno code here^FS^XZ"
              + "^XA^FO20,20^BCN,80,Y,N,N,D^FD(01)09506000134352(10)L1(21)SER2^FS^XZ");
      await().until(() -> printer.labels().size() == 3);

      List<ScanBack> results = scanner.scanBack(printer, ReadRates.PERFECT);

      assertThat(results)
          .extracting(ScanBack::outcome)
          .containsExactly(Outcome.READ, Outcome.NO_BARCODE, Outcome.READ);
      String expected =
          "]d2"
              + "0109506000134352"
              + "10L1"
              + GS
              + "21SER1"
              + "\r"
              + "]C1"
              + "0109506000134352"
              + "10L1"
              + GS
              + "21SER2"
              + "\r";
      assertThat(gateway.read(expected.length(), WITHIN)).isEqualTo(expected);
      assertThat(results.get(0).sent()).contains("]d2" + results.get(0).printed().orElseThrow());
    }
  }

  /**
   * A test of the gateway's reject handling must be repeatable: the same seed gives the same
   * no-reads and misreads, and what is reported as sent is what arrived.
   */
  @Test
  void seededScanBackIsReproducibleAndReportsExactlyWhatWasSent() throws Exception {
    List<PrintedLabel> labels = labels(60);
    var rates = new ReadRates(0.2, 0.2);
    scanner = SimulatedScanner.open(cable.b(), settings().withSeed(42));

    List<ScanBack> first = scanner.scanBack(labels, rates);

    String arrived = gateway.read(expectedBytes(first), WITHIN);
    assertThat(arrived)
        .isEqualTo(
            first.stream()
                .flatMap(r -> r.sent().stream())
                .map(s -> s + "\r")
                .collect(Collectors.joining()));
    assertThat(first)
        .extracting(ScanBack::outcome)
        .contains(Outcome.NO_READ, Outcome.MISREAD, Outcome.READ);
    for (ScanBack result : first) {
      switch (result.outcome()) {
        case READ -> assertThat(result.sent()).isEqualTo(result.printed());
        case MISREAD ->
            assertThat(differences(result.printed().orElseThrow(), result.sent().orElseThrow()))
                .isEqualTo(1);
        default -> assertThat(result.sent()).isEmpty();
      }
    }

    scanner.close();
    scanner = SimulatedScanner.open(cable.b(), settings().withSeed(42));
    assertThat(scanner.scanBack(labels, rates)).isEqualTo(first);
    gateway.read(expectedBytes(first), WITHIN);
  }

  @Test
  void garbageIsRandomBytesWithoutLineEndsThenTheTerminator() {
    scanner = SimulatedScanner.open(cable.b(), settings().withTerminator(Terminator.LF));

    byte[] noise = scanner.garbage();

    String expected = new String(noise, StandardCharsets.ISO_8859_1) + "\n";
    assertThat(gateway.read(expected.length(), WITHIN)).isEqualTo(expected);
    assertThat(expected.substring(0, noise.length)).doesNotContain("\r", "\n");
  }

  /**
   * A pulled cable fails a scan loudly; put back, the scanner is usable again without a restart.
   */
  @Test
  void aPulledCableFailsScansAndTheScannerReopensWhenItIsBack() throws Exception {
    scanner = SimulatedScanner.open(cable.b(), settings());
    gateway.close();

    cable.unplug();
    await().until(() -> !scanner.connected());
    assertThatThrownBy(() -> scanner.scan("lost")).isInstanceOf(IllegalStateException.class);

    cable.plugIn();
    gateway = GatewayEnd.open(cable.a());
    await().until(scanner::connected);
    scanner.scan("back");
    assertThat(gateway.read(5, WITHIN)).isEqualTo("back\r");
  }

  /**
   * Behind a serial device server (the demo without socat): the gateway connects over TCP and gets
   * the same bytes; a hang-up fails scans until it connects again, as a pulled cable does.
   */
  @Test
  void overTcpScansGoToTheConnectedGatewayAndAHangUpFailsThemUntilItReconnects() throws Exception {
    scanner = SimulatedScanner.listenTcp(0, settings());
    URI endpoint = URI.create(scanner.endpoint());
    assertThat(scanner.connected()).isFalse();
    assertThatThrownBy(() -> scanner.scan("nobody")).isInstanceOf(IllegalStateException.class);

    try (var socket = new Socket(endpoint.getHost(), endpoint.getPort())) {
      socket.setSoTimeout((int) WITHIN.toMillis());
      await().until(scanner::connected);
      scanner.scan(ELEMENT_STRING);
      assertThat(
              new String(
                  socket.getInputStream().readNBytes(ELEMENT_STRING.length() + 1),
                  StandardCharsets.ISO_8859_1))
          .isEqualTo(ELEMENT_STRING + "\r");
    }
    await().until(() -> !scanner.connected());
    assertThatThrownBy(() -> scanner.scan("lost")).isInstanceOf(IllegalStateException.class);

    try (var socket = new Socket(endpoint.getHost(), endpoint.getPort())) {
      socket.setSoTimeout((int) WITHIN.toMillis());
      await().until(scanner::connected);
      scanner.scan("back");
      assertThat(new String(socket.getInputStream().readNBytes(5), StandardCharsets.ISO_8859_1))
          .isEqualTo("back\r");
    }
  }

  static ScannerSettings settings() {
    return ScannerSettings.DEFAULT;
  }

  static void print(SimulatedPrinter printer, String zpl) throws Exception {
    int port = printer.listenTcp(0);
    try (var socket = new Socket("127.0.0.1", port)) {
      OutputStream out = socket.getOutputStream();
      out.write(zpl.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
    }
  }

  private static List<PrintedLabel> labels(int count) {
    return IntStream.rangeClosed(1, count)
        .mapToObj(
            i -> {
              String data = "0109506000134352" + "10LOT" + GS + "21S" + i;
              var code = new Barcode(Symbology.DATAMATRIX, true, data, "_1" + data);
              return new PrintedLabel(i, 1, 1, List.of(), List.of(code), "^XA^XZ");
            })
        .toList();
  }

  private static int expectedBytes(List<ScanBack> results) {
    return results.stream()
        .map(ScanBack::sent)
        .flatMap(Optional::stream)
        .mapToInt(s -> s.length() + 1)
        .sum();
  }

  private static int differences(String a, String b) {
    assertThat(b).hasSameSizeAs(a);
    return (int) IntStream.range(0, a.length()).filter(i -> a.charAt(i) != b.charAt(i)).count();
  }
}
