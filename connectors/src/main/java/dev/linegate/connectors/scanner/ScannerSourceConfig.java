package dev.linegate.connectors.scanner;

import dev.linegate.connectors.Backoff;
import dev.linegate.connectors.serial.SerialSettings;
import dev.linegate.connectors.wire.Wires;
import java.time.Duration;

/**
 * One barcode scanner's connection.
 *
 * @param port a serial device ({@code /dev/ttyUSB0}, {@code /dev/ttyACM0}) or {@code
 *     tcp://host:port} for a scanner behind a serial device server
 * @param serial line settings; ignored for TCP
 * @param reopenBackoff the wait before opening again after the port was lost or would not open
 * @param maxScanLength bytes a scan may have before its terminator; a longer one is cut (a scanner
 *     sending without terminators, or line noise, must not grow memory without bound)
 */
public record ScannerSourceConfig(
    String id, String port, SerialSettings serial, Backoff reopenBackoff, int maxScanLength) {

  public static final Backoff DEFAULT_REOPEN =
      new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30));

  /** Far above any 2D code a scanner sends (a full DataMatrix holds about 1.5 KB). */
  public static final int DEFAULT_MAX_SCAN_LENGTH = 4096;

  public ScannerSourceConfig {
    if (id.isBlank()) {
      throw new IllegalArgumentException("scanner id must not be blank");
    }
    if (port.isBlank()) {
      throw new IllegalArgumentException("scanner " + id + ": port must not be blank");
    }
    if (Wires.tcp(port)) {
      try {
        Wires.tcpAddress(port);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("scanner " + id + ": " + e.getMessage(), e);
      }
    }
    if (maxScanLength < 1) {
      throw new IllegalArgumentException("scanner " + id + ": maxScanLength must be at least 1");
    }
  }

  /** The defaults: reopen after 1 s up to 30 s, scans up to 4 KiB. */
  public static ScannerSourceConfig of(String id, String port, SerialSettings serial) {
    return new ScannerSourceConfig(id, port, serial, DEFAULT_REOPEN, DEFAULT_MAX_SCAN_LENGTH);
  }
}
