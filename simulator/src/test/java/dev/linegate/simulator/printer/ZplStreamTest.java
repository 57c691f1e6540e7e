package dev.linegate.simulator.printer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.linegate.simulator.printer.ZplStream.Format;
import dev.linegate.simulator.printer.ZplStream.Piece;
import dev.linegate.simulator.printer.ZplStream.Query;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ZplStreamTest {
  private static final String LABEL = "^XA^FO10,10^A0N,30,30^FDLot ~HS not a query^FS^XZ";

  /** A serial line delivers bytes in whatever pieces it likes: one byte at a time is the worst. */
  @Test
  void findsFormatsAndQueriesWhateverTheChunking() {
    String wire = " \r\n~HS" + LABEL + "\n~HS\r\n" + LABEL + "~HQES";
    var expected =
        List.of(
            new Query("HS"),
            new Format(LABEL),
            new Query("HS"),
            new Format(LABEL),
            new Query("HQES"));

    assertThat(feedInChunks(wire, wire.length())).isEqualTo(expected);
    assertThat(feedInChunks(wire, 1)).isEqualTo(expected);
    assertThat(feedInChunks(wire, 2)).isEqualTo(expected);
  }

  /** A Zebra obeys a tilde command at once, even in the middle of a format. */
  /** What a broken write left must not merge with the next label: ~JX drops it, even mid-field. */
  @Test
  void cancelDropsAFormatCutShort() {
    var stream = new ZplStream();
    assertThat(feed(stream, "^XA^FO10,10^FDhalf a la")).isEmpty();
    assertThat(stream.partialFormat()).isTrue();
    assertThat(feed(stream, "~JX" + LABEL)).containsExactly(new Format(LABEL));
    assertThat(stream.partialFormat()).isFalse();
  }

  @Test
  void aQueryInsideAFormatIsAnsweredAndCutOutOfIt() {
    var stream = new ZplStream();
    List<Piece> first = feed(stream, "^XA^FO10,10~HS^FDx^FS");
    assertThat(first).containsExactly(new Query("HS"));
    assertThat(stream.partialFormat()).isTrue();

    assertThat(feed(stream, "^XZ")).containsExactly(new Format("^XA^FO10,10^FDx^FS^XZ"));
    assertThat(stream.partialFormat()).isFalse();
  }

  private static List<Piece> feedInChunks(String wire, int chunk) {
    var stream = new ZplStream();
    var pieces = new ArrayList<Piece>();
    for (int i = 0; i < wire.length(); i += chunk) {
      pieces.addAll(feed(stream, wire.substring(i, Math.min(wire.length(), i + chunk))));
    }
    return pieces;
  }

  private static List<Piece> feed(ZplStream stream, String text) {
    byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
    return stream.feed(bytes, bytes.length);
  }
}
