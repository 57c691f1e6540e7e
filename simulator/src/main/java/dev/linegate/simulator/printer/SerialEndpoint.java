package dev.linegate.simulator.printer;

import com.fazecast.jSerialComm.SerialPort;
import com.fazecast.jSerialComm.SerialPortInvalidPortException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The printer's serial interface. When the device disappears (cable pulled: reads return -1) it
 * closes the port and opens it again once the device is back, as a printer that stays on does.
 * While powered off it reads and drops everything, so nothing sent then is printed later.
 */
final class SerialEndpoint implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SerialEndpoint.class);
  private static final int READ_TIMEOUT_MS = 100;
  private static final long REOPEN_POLL_MS = 50;

  private final Path path;
  private final Supplier<PrinterSession> sessions;
  private final BooleanSupplier powered;
  private final CountDownLatch stop = new CountDownLatch(1);
  private final CountDownLatch firstOpen = new CountDownLatch(1);
  private final Thread reader;

  SerialEndpoint(Path path, Supplier<PrinterSession> sessions, BooleanSupplier powered) {
    this.path = path;
    this.sessions = sessions;
    this.powered = powered;
    reader = new Thread(this::run, "printer-serial-" + path.getFileName());
    reader.setDaemon(true);
    reader.start();
  }

  /** Waits until the port has been opened once. */
  boolean awaitOpen(long timeout, TimeUnit unit) throws InterruptedException {
    return firstOpen.await(timeout, unit);
  }

  @Override
  public void close() {
    stop.countDown();
    try {
      reader.join(TimeUnit.SECONDS.toMillis(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void run() {
    try {
      while (stop.getCount() > 0) {
        SerialPort port = open();
        if (port == null) {
          // The device is not there (yet): look again shortly; stop ends the wait at once.
          stop.await(REOPEN_POLL_MS, TimeUnit.MILLISECONDS);
          continue;
        }
        try {
          firstOpen.countDown();
          serve(port);
        } finally {
          port.closePort();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private @Nullable SerialPort open() {
    if (!Files.exists(path)) {
      return null;
    }
    try {
      SerialPort port = SerialPort.getCommPort(path.toString());
      port.setComPortTimeouts(SerialPort.TIMEOUT_READ_SEMI_BLOCKING, READ_TIMEOUT_MS, 0);
      // A pty reports error 25 (ENOTTY) after a successful open: only the result counts.
      return port.openPort() ? port : null;
    } catch (SerialPortInvalidPortException vanished) {
      return null;
    }
  }

  /** Until the device goes away or the printer is closed. */
  private void serve(SerialPort port) {
    LOG.debug("Printer serial port {} open", path);
    byte[] buffer = new byte[4096];
    PrinterSession session = sessions.get();
    boolean wasPowered = true;
    while (stop.getCount() > 0) {
      int read = port.readBytes(buffer, buffer.length);
      if (read < 0) {
        LOG.debug("Printer serial port {} gone", path);
        return;
      }
      boolean on = powered.getAsBoolean();
      if (on && !wasPowered) {
        session = sessions.get(); // a power cycle forgets half-received formats
      }
      wasPowered = on;
      if (read == 0 || !on) {
        continue;
      }
      byte[] answer = session.receive(buffer, read);
      if (answer.length > 0 && port.writeBytes(answer, answer.length) < 0) {
        return;
      }
    }
  }
}
