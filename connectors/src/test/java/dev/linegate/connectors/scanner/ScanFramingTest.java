package dev.linegate.connectors.scanner;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The framing alone, fed read by read as the port delivers bytes. */
class ScanFramingTest {
  private static final Instant NOW = Instant.parse("2025-01-01T00:00:00Z");

  private final ScanFraming framing = new ScanFraming("S1", 8);

  @Test
  void crLfAndCrLfEachEndOneScanAndEmptyLinesAreDropped() {
    assertThat(texts(feed("A\rB\nC\r\nD\r\r\n\nE\r"))).containsExactly("A", "B", "C", "D", "E");
  }

  /** A CR LF split between two reads must not yield an empty scan or an LF in front of the next. */
  @Test
  void aCrLfSplitAcrossReadsEndsOneScan() {
    assertThat(texts(feed("ABC\r"))).containsExactly("ABC");
    assertThat(feed("\n")).isEmpty();
    assertThat(texts(feed("DEF\r\n"))).containsExactly("DEF");
  }

  @Test
  void aScanOfExactlyTheLimitIsWhole() {
    List<Scan> scans = feed("12345678\r");

    assertThat(scans)
        .singleElement()
        .satisfies(
            scan -> {
              assertThat(scan.text()).isEqualTo("12345678");
              assertThat(scan.problem()).isEmpty();
            });
  }

  /** Memory stays bounded, the cut is said, and the tail does not come out as a second scan. */
  @Test
  void anOverLongScanIsCutMarkedAndItsTailDropped() {
    List<Scan> scans = new ArrayList<>(feed("123456789ABC"));
    assertThat(framing.pending()).isZero();
    scans.addAll(feed("DEFGHIJKLMNOP\rok\r"));

    assertThat(texts(scans)).containsExactly("12345678", "ok");
    assertThat(scans.get(0).problem())
        .hasValueSatisfying(p -> assertThat(p).contains("no terminator within 8 bytes"));
    assertThat(scans.get(1).problem()).isEmpty();
  }

  private List<Scan> feed(String bytes) {
    byte[] raw = bytes.getBytes(StandardCharsets.ISO_8859_1);
    return framing.feed(raw, raw.length, NOW);
  }

  private static List<String> texts(List<Scan> scans) {
    return scans.stream().map(Scan::text).toList();
  }
}
