package dev.linegate.connectors.printer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class PrinterStatusTest {
  private static final String STX = "\u0002";
  private static final String ETX = "\u0003\r\n";

  /** The example answer of the ZPL II manual: a ready printer, nothing buffered. */
  @Test
  void aReadyPrinterHasNoFault() {
    PrinterStatus status =
        PrinterStatus.parse(
            STX
                + "030,0,0,1245,000,0,0,0,000,0,0,0"
                + ETX
                + STX
                + "001,0,0,0,1,2,4,0,00000000,1,000"
                + ETX
                + STX
                + "1234,0"
                + ETX);

    assertThat(status).isEqualTo(new PrinterStatus(false, false, false, false, false, 0, 0));
    assertThat(status.fault()).isEmpty();
  }

  @Test
  void readsFlagsAndCountersFromTheirPositions() {
    PrinterStatus status =
        PrinterStatus.parse(
            STX
                + "030,1,1,0406,012,1,0,0,000,0,0,0"
                + ETX
                + STX
                + "001,0,1,1,1,2,6,0,00000345,1,000"
                + ETX
                + STX
                + "1234,0"
                + ETX);

    assertThat(status).isEqualTo(new PrinterStatus(true, true, true, true, true, 12, 345));
    assertThat(status.fault()).isEqualTo(Optional.of("paper out, head open, ribbon out, paused"));
  }

  /**
   * A Zebra printing the 2nd of a ^PQ3 batch with 4 formats behind it: 2 labels left in the batch
   * plus 4 waiting formats are 6 labels still in the printer; neither field alone says so.
   */
  @Test
  void labelsInPrinterAddsTheWaitingFormatsToTheBatchBeingPrinted() {
    PrinterStatus printing =
        PrinterStatus.parse(
            STX
                + "030,0,0,0406,004,0,0,0,000,0,0,0"
                + ETX
                + STX
                + "001,0,0,0,1,2,6,0,00000002,1,000"
                + ETX
                + STX
                + "1234,0"
                + ETX);

    assertThat(printing.labelsInPrinter()).isEqualTo(6);
    assertThat(new PrinterStatus(false, true, false, false, false, 3, 0).labelsInPrinter())
        .as("paused before the first format started")
        .isEqualTo(3);
    assertThat(new PrinterStatus(false, false, false, false, false, 0, 1).labelsInPrinter())
        .as("the last ^PQ1 label printing")
        .isEqualTo(1);
    assertThat(new PrinterStatus(false, false, false, false, false, 0, 0).labelsInPrinter())
        .as("idle")
        .isZero();
  }

  /** Frames without CR LF, as some firmware sends them, are still an answer. */
  @Test
  void acceptsFramesWithoutLineEnds() {
    PrinterStatus status =
        PrinterStatus.parse(
            STX
                + "030,0,1,0406,001,0,0,0,000,0,0,0\u0003"
                + STX
                + "001,0,0,0,1,2,6,0,00000002,1,000\u0003"
                + STX
                + "1234,0\u0003");

    assertThat(status.paused()).isTrue();
    assertThat(status.labelsRemaining()).isEqualTo(2);
    assertThat(status.fault()).contains("paused");
  }

  @Test
  void rejectsWhatIsNotAHostStatusAndSaysWhy() {
    assertThatThrownBy(() -> PrinterStatus.parse("hello"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("expected STX ... ETX frames")
        .hasMessageContaining("hello");
    assertThatThrownBy(() -> PrinterStatus.parse(STX + "1234,0" + ETX))
        .hasMessageContaining("expected 3 lines, got 1");
    assertThatThrownBy(
            () ->
                PrinterStatus.parse(
                    STX
                        + "030,0,0,1245,000"
                        + ETX
                        + STX
                        + "001,0,0,0,1,2,4,0,00000000,1,000"
                        + ETX
                        + STX
                        + "1234,0"
                        + ETX))
        .hasMessageContaining("line 1 has 5 fields instead of 12");
    assertThatThrownBy(
            () ->
                PrinterStatus.parse(
                    STX
                        + "030,2,0,1245,000,0,0,0,000,0,0,0"
                        + ETX
                        + STX
                        + "001,0,0,0,1,2,4,0,0000000x,1,000"
                        + ETX
                        + STX
                        + "1234,0"
                        + ETX))
        .hasMessageContaining("paper out flag is '2'");
    assertThatThrownBy(
            () ->
                PrinterStatus.parse(
                    STX
                        + "030,0,0,1245,000,0,0,0,000,0,0,0"
                        + ETX
                        + STX
                        + "001,0,0,0,1,2,4,0,0000000x,1,000"
                        + ETX
                        + STX
                        + "1234,0"
                        + ETX))
        .hasMessageContaining("labels remaining is '0000000x'");
  }
}
