package dev.linegate.connectors.scanner;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;

/**
 * One scan as the scanner sent it, without its terminator, not interpreted: an AIM symbology
 * identifier ({@code ]d2}) and GS (0x1D) separators are kept for the GS1 parser.
 *
 * @param text the bytes as ISO-8859-1, one char per byte, so no byte is lost or replaced
 * @param receivedAt when the end of the scan was read
 * @param problem why the scan cannot be trusted as a whole (cut because it was too long), or empty
 */
public record Scan(String scannerId, String text, Instant receivedAt, Optional<String> problem) {

  /** The bytes as received. */
  public byte[] bytes() {
    return text.getBytes(StandardCharsets.ISO_8859_1);
  }
}
