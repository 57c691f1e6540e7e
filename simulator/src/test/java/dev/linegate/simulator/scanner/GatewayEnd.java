package dev.linegate.simulator.scanner;

import com.fazecast.jSerialComm.SerialPort;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

/** The gateway's end of the scanner cable, played raw by the tests: the bytes as they arrive. */
final class GatewayEnd implements AutoCloseable {
  private final SerialPort port;

  private GatewayEnd(SerialPort port) {
    this.port = port;
  }

  static GatewayEnd open(Path path) {
    SerialPort port = SerialPort.getCommPort(path.toString());
    port.setComPortTimeouts(SerialPort.TIMEOUT_READ_SEMI_BLOCKING, 100, 0);
    if (!port.openPort()) {
      throw new IllegalStateException("cannot open " + path + ": " + port.getLastErrorCode());
    }
    return new GatewayEnd(port);
  }

  /**
   * Reads until {@code count} bytes came or {@code within} passed; as ISO-8859-1, byte for byte.
   */
  String read(int count, Duration within) {
    var received = new ByteArrayOutputStream();
    byte[] buffer = new byte[1024];
    long deadline = System.nanoTime() + within.toNanos();
    while (received.size() < count && System.nanoTime() < deadline) {
      int n = port.readBytes(buffer, Math.min(buffer.length, count - received.size()));
      if (n < 0) {
        break;
      }
      received.write(buffer, 0, n);
    }
    return received.toString(StandardCharsets.ISO_8859_1);
  }

  @Override
  public void close() {
    port.closePort();
  }
}
