package dev.linegate.simulator.printer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.linegate.simulator.printer.Barcode.Symbology;
import dev.linegate.simulator.printer.HostEnd.Transport;
import dev.linegate.simulator.serial.VirtualSerialPair;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The printer over real wires: a socat pty pair and a TCP socket. */
class SimulatedPrinterTest {
  private static final String GS = "\u001d";
  private static final String STX = "\u0002";
  private static final String ETX = "\u0003";
  private static final String GS1_LABEL =
      "^XA"
          + "^FO20,20^A0N,30,30^FDLot L126327001^FS"
          + "^FO20,60^BXN,6,200,,,,_^FD_1010950600013435217281122"
          + "10L126327001_121A1B2C3D4E5F6^FS"
          + "^FO20,200^BCN,80,Y,N,N,D^FD(01)09506000134352(10)L126327001(21)A1B2^FS"
          + "^XZ";

  @TempDir Path dir;
  private VirtualSerialPair cable;
  private SimulatedPrinter printer;
  private int tcpPort;

  @BeforeEach
  void start() throws IOException {
    cable = VirtualSerialPair.create(dir, "zebra");
    printer = SimulatedPrinter.start().listenSerial(cable.b());
    tcpPort = printer.listenTcp(0);
  }

  @AfterEach
  void stop() {
    printer.close();
    cable.close();
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void aGs1LabelIsPrintedWithTheElementStringsAScannerWouldRead(Transport transport)
      throws Exception {
    try (HostEnd host = connect(transport)) {
      host.write(GS1_LABEL);

      await().until(() -> printer.labels().size() == 1);
      PrintedLabel label = printer.labels().get(0);
      assertThat(label.texts()).containsExactly("Lot L126327001");
      assertThat(label.barcodes())
          .extracting(Barcode::symbology, Barcode::gs1, Barcode::data)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple(
                  Symbology.DATAMATRIX,
                  true,
                  "0109506000134352" + "17281122" + "10L126327001" + GS + "21A1B2C3D4E5F6"),
              org.assertj.core.groups.Tuple.tuple(
                  Symbology.CODE128, true, "0109506000134352" + "10L126327001" + GS + "21A1B2"));
      assertThat(label.zpl()).isEqualTo(GS1_LABEL);
      assertThat(label.sequence()).isEqualTo(1);
    }
  }

  /**
   * The gateway learns from ~HS what is still to come, and that it is paused. Paused before
   * anything started, both formats are waiting ({@code eee} 2) and no batch is printing ({@code
   * uuuuuuuu} 0), as on a real Zebra.
   */
  @ParameterizedTest
  @EnumSource(Transport.class)
  void hostStatusIsThreeFramedLinesWithPauseFlagAndFormatsWaiting(Transport transport)
      throws Exception {
    printer.fault(PrinterFault.PAUSE);
    try (HostEnd host = connect(transport)) {
      host.write(label("A") + label("B").replace("^XZ", "^PQ3^XZ"));
      await().until(() -> printer.labelsRemaining() == 4);

      String answer = host.hostStatus();

      assertThat(answer.split("\r\n"))
          .containsExactly(
              STX + "030,0,1,0406,002,0,0,0,000,0,0,0" + ETX,
              STX + "001,0,0,0,1,2,6,0,00000000,1,000" + ETX,
              STX + "1234,0" + ETX);
      assertThat(answer).endsWith(ETX + "\r\n");

      printer.fault(PrinterFault.NONE);
      await().until(() -> printer.labels().size() == 4);
      assertThat(host.hostStatus()).contains(STX + "030,0,0,0406,000,").contains(",00000000,");
    }
  }

  /**
   * While a ^PQ batch prints, {@code uuuuuuuu} counts down the labels left in it (the one printing
   * included) and {@code eee} counts only the formats behind it, as on a real Zebra.
   */
  @ParameterizedTest
  @EnumSource(Transport.class)
  void hostStatusCountsDownTheBatchBeingPrintedAndTheFormatsBehindIt(Transport transport)
      throws Exception {
    printer.speed(20);
    try (HostEnd host = connect(transport)) {
      host.write(label("batch").replace("^XZ", "^PQ10^XZ") + label("next"));
      await().until(() -> !printer.labels().isEmpty());
      printer.fault(PrinterFault.PAUSE);
      int printed = printer.labels().size();
      assertThat(printed).as("labels of the batch printed before the pause").isLessThan(10);

      String[] status = hostStatusCounters(host.hostStatus());

      assertThat(status[0]).as("eee: formats not started").isEqualTo("001");
      assertThat(status[1])
          .as("uuuuuuuu: labels left in the batch")
          .isEqualTo(String.format(java.util.Locale.ROOT, "%08d", 10 - printed));

      printer.fault(PrinterFault.NONE);
      await().until(() -> printer.labels().size() == 11);
      assertThat(hostStatusCounters(host.hostStatus())).containsExactly("000", "00000000");
    }
  }

  /** {@code eee} of line 1 and {@code uuuuuuuu} of line 2 of a ~HS answer. */
  private static String[] hostStatusCounters(String answer) {
    String[] lines = answer.split("\r\n");
    String line1 = lines[0].substring(1, lines[0].length() - 1);
    String line2 = lines[1].substring(1, lines[1].length() - 1);
    return new String[] {line1.split(",")[4], line2.split(",")[8]};
  }

  /** DOMAIN 5: no answer at all in paper out, ribbon out, head open: the host must time out. */
  @ParameterizedTest
  @EnumSource(
      value = PrinterFault.class,
      names = {"PAPER_OUT", "RIBBON_OUT", "HEAD_OPEN"})
  void staysSilentToHostStatusWhileItCannotPrint(PrinterFault fault) throws Exception {
    printer.fault(fault);
    try (HostEnd host = connect(Transport.SERIAL)) {
      host.write("~HS");
      assertThat(host.readUntil(received -> !received.isEmpty(), Duration.ofMillis(500))).isEmpty();

      host.write("~HQES");
      assertThat(host.readUntil(received -> received.contains(ETX), Duration.ofSeconds(2)))
          .contains("ERRORS:         1 00000000 0000000");

      printer.fault(PrinterFault.NONE);
      assertThat(HostEnd.threeFrames(host.hostStatus())).isTrue();
    }
  }

  /** A fault mid-job must neither lose a label (a missing serial) nor print one twice. */
  @ParameterizedTest
  @EnumSource(Transport.class)
  void aFaultMidJobHoldsTheBufferAndResumesWithoutLossOrDuplicates(Transport transport)
      throws Exception {
    printer.speed(40);
    try (HostEnd host = connect(transport)) {
      IntStream.rangeClosed(1, 12).forEach(i -> host.write(label("SER" + i)));
      await().until(() -> printer.labels().size() >= 3);

      printer.fault(PrinterFault.HEAD_OPEN);
      int printedBeforeFault = printer.labels().size();
      await()
          .during(Duration.ofMillis(300))
          .atMost(Duration.ofSeconds(2))
          .until(() -> printer.labels().size() == printedBeforeFault);
      assertThat(printer.labelsRemaining()).isEqualTo(12 - printedBeforeFault);

      printer.fault(PrinterFault.NONE);
      await().until(() -> printer.labels().size() == 12);
    }
    List<String> serials = printer.labels().stream().map(l -> l.texts().get(0)).toList();
    assertThat(serials)
        .containsExactlyElementsOf(IntStream.rangeClosed(1, 12).mapToObj(i -> "SER" + i).toList());
    assertThat(printer.labels()).extracting(PrintedLabel::sequence).doesNotHaveDuplicates();
  }

  /** A pulled cable must not leave the printer deaf once the cable is back. */
  @Test
  void readsAgainAfterTheCableIsPluggedBackIn() throws Exception {
    try (HostEnd host = connect(Transport.SERIAL)) {
      host.write(label("before"));
      await().until(() -> printer.labels().size() == 1);
    }
    cable.unplug();
    cable.plugIn();

    // The printer reopens its end once the device is back; until then bytes go nowhere.
    await()
        .untilAsserted(
            () -> {
              try (HostEnd host = connect(Transport.SERIAL)) {
                assertThat(HostEnd.threeFrames(host.hostStatus())).isTrue();
              }
            });
    try (HostEnd host = connect(Transport.SERIAL)) {
      host.write(label("after"));
      await().until(() -> printer.labels().size() == 2);
    }
    assertThat(printer.labels().get(1).texts()).containsExactly("after");
  }

  /** Powered off: no answers and nothing printed, and what was sent then is not printed later. */
  @Test
  void disconnectedItNeitherAnswersNorPrints() throws Exception {
    try (HostEnd serial = connect(Transport.SERIAL)) {
      printer.disconnect();
      serial.write(label("lost") + "~HS");
      assertThat(serial.readUntil(r -> !r.isEmpty(), Duration.ofMillis(500))).isEmpty();

      printer.connect();
      assertThat(HostEnd.threeFrames(serial.hostStatus())).isTrue();
      // A label taken in would be printed or still buffered by the time ~HS was answered.
      assertThat(printer.labels()).isEmpty();
      assertThat(printer.labelsRemaining()).isZero();
    }
  }

  private HostEnd connect(Transport transport) {
    return transport == Transport.SERIAL ? HostEnd.serial(cable.a()) : HostEnd.tcp(tcpPort);
  }

  static String label(String text) {
    return "^XA^FO20,20^A0N,30,30^FD" + text + "^FS^XZ\r\n";
  }
}
