package dev.linegate.simulator.scanner;

import com.fazecast.jSerialComm.SerialPort;
import dev.linegate.simulator.serial.ReopeningPort;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The scanner on a serial port, which it keeps across a pulled cable: it opens the device again
 * when the cable is back.
 */
final class SerialLine implements ScannerLine {
  private final ReopeningPort device;

  private SerialLine(Path path) {
    this.device = new ReopeningPort(path, "scanner-serial-" + path.getFileName(), this::serve);
    // Started only now: the session uses this.device.
    device.start();
  }

  /** Opens the serial device at {@code path}; returns once it is open. */
  static SerialLine open(Path path, long timeout, TimeUnit unit) {
    var line = new SerialLine(path);
    try {
      if (!line.device.awaitOpen(timeout, unit)) {
        line.close();
        throw new IllegalStateException(
            "scanner could not open serial port "
                + path
                + " within "
                + unit.toSeconds(timeout)
                + " s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      line.close();
      throw new IllegalStateException("interrupted while opening " + path, e);
    }
    return line;
  }

  @Override
  public boolean connected() {
    return device.current().isPresent();
  }

  @Override
  public synchronized void write(byte[] bytes) {
    SerialPort port =
        device
            .current()
            .orElseThrow(
                () -> new IllegalStateException("scanner cable to " + device.path() + " is out"));
    int offset = 0;
    while (offset < bytes.length) {
      int written = port.writeBytes(bytes, bytes.length - offset, offset);
      if (written <= 0) {
        throw new IllegalStateException(
            "scanner port "
                + device.path()
                + " lost after "
                + offset
                + " of "
                + bytes.length
                + " bytes");
      }
      offset += written;
    }
  }

  @Override
  public String endpoint() {
    return device.path().toString();
  }

  @Override
  public void close() {
    device.close();
  }

  /** The host sends a scanner nothing; reading only tells when the cable is pulled (-1). */
  private void serve(SerialPort port) {
    byte[] ignored = new byte[256];
    while (!device.stopping()) {
      if (port.readBytes(ignored, ignored.length) < 0) {
        return;
      }
    }
  }
}
