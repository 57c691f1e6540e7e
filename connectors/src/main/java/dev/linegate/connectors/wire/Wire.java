package dev.linegate.connectors.wire;

import java.io.IOException;
import java.time.Duration;

/**
 * A byte stream to one device (printer, scanner) over a serial port or TCP; any {@link IOException}
 * means the stream is lost and the wire must be closed. Open one with {@link Wires#open}.
 */
public interface Wire extends AutoCloseable {

  /**
   * Writes everything, or throws: {@link StalledException} when the device did not take it within
   * the write timeout (serial flow control, a shut TCP window).
   */
  void write(byte[] bytes) throws IOException;

  /** Waits up to {@code timeout} for bytes; 0 when none came. */
  int read(byte[] buffer, Duration timeout) throws IOException;

  /** Drops whatever has arrived and not been read, such as a late answer to an earlier query. */
  void discardInput() throws IOException;

  @Override
  void close();

  /**
   * The device did not take all the bytes in time. A serial wire is still usable; a TCP wire was
   * closed to end the write, and its next call fails as lost.
   */
  final class StalledException extends IOException {
    StalledException(String message) {
      super(message);
    }
  }
}
