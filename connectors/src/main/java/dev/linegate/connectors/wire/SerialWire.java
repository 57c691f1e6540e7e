package dev.linegate.connectors.wire;

import com.fazecast.jSerialComm.SerialPort;
import dev.linegate.connectors.serial.SerialPorts;
import dev.linegate.connectors.serial.SerialSettings;
import java.io.IOException;
import java.time.Duration;

/**
 * A device on a serial port. A vanished device shows as a read of -1 or no bytes available; the
 * port's PORT_DISCONNECTED event is not used: it fires in a tight loop until the port is closed,
 * and closing from the event thread would race the thread using the port.
 */
final class SerialWire implements Wire {
  private final String path;
  private final SerialPort port;
  private final Duration writeTimeout;

  private SerialWire(String path, SerialPort port, Duration writeTimeout) {
    this.path = path;
    this.port = port;
    this.writeTimeout = writeTimeout;
  }

  static SerialWire open(String path, SerialSettings settings, Duration writeTimeout)
      throws IOException {
    SerialPort port = SerialPorts.open(path, settings, Duration.ofMillis(100), writeTimeout);
    return new SerialWire(path, port, writeTimeout);
  }

  @Override
  public void write(byte[] bytes) throws IOException {
    int offset = 0;
    while (offset < bytes.length) {
      int written = port.writeBytes(bytes, bytes.length - offset, offset);
      if (written < 0 || port.bytesAvailable() < 0) {
        throw new IOException("serial port " + path + " disconnected while writing");
      }
      if (written == 0) {
        throw new StalledException(
            "serial port "
                + path
                + ": the device took no data for "
                + writeTimeout.toMillis()
                + " ms (flow control held), "
                + offset
                + " of "
                + bytes.length
                + " bytes sent");
      }
      offset += written;
    }
  }

  @Override
  public int read(byte[] buffer, Duration timeout) throws IOException {
    port.setComPortTimeouts(
        SerialPort.TIMEOUT_READ_SEMI_BLOCKING | SerialPort.TIMEOUT_WRITE_BLOCKING,
        (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis())),
        (int) Math.min(Integer.MAX_VALUE, writeTimeout.toMillis()));
    int read = port.readBytes(buffer, buffer.length);
    if (read < 0) {
      throw new IOException("serial port " + path + " disconnected");
    }
    return read;
  }

  @Override
  public void discardInput() throws IOException {
    byte[] stale = new byte[1024];
    int available;
    while ((available = port.bytesAvailable()) > 0) {
      if (port.readBytes(stale, Math.min(available, stale.length)) < 0) {
        break;
      }
    }
    if (available < 0) {
      throw new IOException("serial port " + path + " disconnected");
    }
  }

  @Override
  public void close() {
    port.closePort();
  }
}
