package dev.linegate.gateway.station;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Optional;

/**
 * What one scan came to. {@code OK} is green on the operator's screen; {@code FLAGGED} is red: a
 * readable label that must not pass (unknown, mismatched, on hold, recalled, scanned twice); {@code
 * REJECTED} is red too: not GS1 data at all.
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
    REJECTED
  }

  public ObjectNode toJson() {
    ObjectNode scan = JsonNodeFactory.instance.objectNode();
    scan.put("id", id);
    scan.put("scanner", scanner);
    scan.put("line", line.orElse(null));
    scan.put("at", at.toString());
    scan.put("raw", shown(raw));
    scan.put("verdict", verdict.name().toLowerCase());
    scan.put("reason", reason);
    scan.put("gtin", gtin.orElse(null));
    scan.put("serial", serial.orElse(null));
    scan.put("lot", lot.orElse(null));
    return scan;
  }

  /** The raw scan as an operator can read it: GS as {@code <GS>}, other control bytes in hex. */
  static String shown(String raw) {
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
