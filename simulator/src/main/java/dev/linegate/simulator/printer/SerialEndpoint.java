package dev.linegate.simulator.printer;

import com.fazecast.jSerialComm.SerialPort;
import dev.linegate.simulator.serial.ReopeningPort;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The printer's serial interface. When the device disappears (cable pulled: reads return -1) it
 * closes the port and opens it again once the device is back, as a printer that stays on does.
 * While powered off it reads and drops everything, so nothing sent then is printed later.
 */
final class SerialEndpoint implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SerialEndpoint.class);

  private final Path path;
  private final Supplier<PrinterSession> sessions;
  private final BooleanSupplier powered;
  private final ReopeningPort device;

  SerialEndpoint(Path path, Supplier<PrinterSession> sessions, BooleanSupplier powered) {
    this.path = path;
    this.sessions = sessions;
    this.powered = powered;
    this.device = new ReopeningPort(path, "printer-serial-" + path.getFileName(), this::serve);
    // Started only now: the session uses this.device.
    device.start();
  }

  /** Waits until the port has been opened once. */
  boolean awaitOpen(long timeout, TimeUnit unit) throws InterruptedException {
    return device.awaitOpen(timeout, unit);
  }

  @Override
  public void close() {
    device.close();
  }

  /** Until the device goes away or the printer is closed. */
  private void serve(SerialPort port) {
    LOG.debug("Printer serial port {} open", path);
    byte[] buffer = new byte[4096];
    PrinterSession session = sessions.get();
    boolean wasPowered = true;
    while (!device.stopping()) {
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
