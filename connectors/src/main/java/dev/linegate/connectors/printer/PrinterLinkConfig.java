package dev.linegate.connectors.printer;

import dev.linegate.connectors.Backoff;
import dev.linegate.connectors.serial.SerialSettings;
import dev.linegate.connectors.wire.Wires;
import java.time.Duration;

/**
 * One printer's connection.
 *
 * @param port a serial device ({@code /dev/ttyUSB0}) or {@code tcp://host:port}
 * @param serial line settings; ignored for TCP
 * @param statusTimeout how long to wait for the {@code ~HS} answer (and for a TCP connect)
 * @param writeTimeout how long a write may be held (serial flow control, a shut TCP window) before
 *     it fails
 * @param reopenBackoff the wait before opening again after the port was lost or would not open
 */
public record PrinterLinkConfig(
    String id,
    String port,
    SerialSettings serial,
    Duration statusTimeout,
    Duration writeTimeout,
    Backoff reopenBackoff) {

  public static final Duration DEFAULT_STATUS_TIMEOUT = Duration.ofSeconds(2);
  public static final Duration DEFAULT_WRITE_TIMEOUT = Duration.ofSeconds(30);
  public static final Backoff DEFAULT_REOPEN =
      new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30));

  public PrinterLinkConfig {
    if (id.isBlank()) {
      throw new IllegalArgumentException("printer id must not be blank");
    }
    if (port.isBlank()) {
      throw new IllegalArgumentException("printer " + id + ": port must not be blank");
    }
    if (Wires.tcp(port)) {
      try {
        Wires.tcpAddress(port);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("printer " + id + ": " + e.getMessage(), e);
      }
    }
    if (statusTimeout.isNegative() || statusTimeout.isZero()) {
      throw new IllegalArgumentException("printer " + id + ": statusTimeout must be positive");
    }
    if (writeTimeout.isNegative() || writeTimeout.isZero()) {
      throw new IllegalArgumentException("printer " + id + ": writeTimeout must be positive");
    }
  }

  /** The defaults: ~HS within 2 s, writes held at most 30 s, reopen after 1 s up to 30 s. */
  public static PrinterLinkConfig of(String id, String port, SerialSettings serial) {
    return new PrinterLinkConfig(
        id, port, serial, DEFAULT_STATUS_TIMEOUT, DEFAULT_WRITE_TIMEOUT, DEFAULT_REOPEN);
  }

  public boolean tcp() {
    return Wires.tcp(port);
  }
}
