package dev.linegate.gateway.station;

import java.time.Instant;
import java.util.Optional;

/**
 * What one scan came to. {@code OK} is green on the operator's screen; {@code FLAGGED} is red: a
 * readable label that must not pass (unknown, mismatched, on hold, recalled, scanned twice); {@code
 * REJECTED} is red too: not GS1 data at all; {@code REFUSED}, at a packing station: a label that
 * may not be packed (already packed, scrapped, of a held lot...).
 */
public record ScanResult(
    long id,
    String scanner,
    Optional<String> line,
    Instant at,
    String raw,
    Verdict verdict,
    String reason,
    Optional<String> gtin,
    Optional<String> serial,
    Optional<String> lot) {

  public enum Verdict {
    OK,
    FLAGGED,
    REJECTED,
    REFUSED
  }

  /** The raw scan as an operator can read it: GS as {@code <GS>}, other control bytes in hex. */
  public static String shown(String raw) {
    StringBuilder out = new StringBuilder(raw.length() + 8);
    for (char c : raw.toCharArray()) {
      if (c == 0x1D) {
        out.append("<GS>");
      } else if (c < 0x20 || c >= 0x7F) {
        out.append(String.format("<%02X>", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }
}
