package dev.linegate.connectors.scanner;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Cuts the scanner's byte stream into scans. CR, LF and CR LF all end a scan; empty lines are
 * dropped, which also takes care of a CR LF split across two reads. Holds at most {@code maxLength}
 * bytes: a longer scan is delivered cut, marked with the reason, and the rest of it up to the next
 * terminator is dropped, so it does not come out as a second, bogus scan.
 */
final class ScanFraming {
  private static final byte CR = '\r';
  private static final byte LF = '\n';

  private final String scannerId;
  private final byte[] line;
  private int length;
  private boolean droppingRest;

  ScanFraming(String scannerId, int maxLength) {
    this.scannerId = scannerId;
    this.line = new byte[maxLength];
  }

  /** The scans completed by these bytes, in order. */
  List<Scan> feed(byte[] bytes, int count, Instant receivedAt) {
    var scans = new ArrayList<Scan>(1);
    for (int i = 0; i < count; i++) {
      byte b = bytes[i];
      if (b == CR || b == LF) {
        if (length > 0) {
          scans.add(scan(receivedAt, Optional.empty()));
        }
        droppingRest = false;
      } else if (droppingRest) {
        continue;
      } else if (length == line.length) {
        scans.add(
            scan(
                receivedAt,
                Optional.of(
                    "no terminator within "
                        + line.length
                        + " bytes: cut after them, the rest up to the next terminator dropped")));
        droppingRest = true;
      } else {
        line[length++] = b;
      }
    }
    return scans;
  }

  /** Bytes of an unfinished scan. */
  int pending() {
    return length;
  }

  private Scan scan(Instant receivedAt, Optional<String> problem) {
    String text = new String(line, 0, length, StandardCharsets.ISO_8859_1);
    length = 0;
    return new Scan(scannerId, text, receivedAt, problem);
  }
}
