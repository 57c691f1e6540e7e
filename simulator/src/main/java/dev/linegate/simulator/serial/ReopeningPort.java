package dev.linegate.simulator.serial;

import com.fazecast.jSerialComm.SerialPort;
import com.fazecast.jSerialComm.SerialPortInvalidPortException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A simulated device's end of a serial line, which, like a device that stays powered, survives a
 * pulled cable: on its own thread it opens {@code path} once it exists, hands the open port to the
 * session until the session returns (the port is lost: a read returned -1; or {@link #close()}),
 * closes it, and opens it again when the device is back. Reads are semi-blocking, 100 ms at most,
 * so a session loop notices {@link #stopping()} in time.
 */
public final class ReopeningPort implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ReopeningPort.class);
  private static final int READ_TIMEOUT_MS = 100;

  /** The device is not there (yet): look again after this long. */
  private static final long REOPEN_POLL_MS = 50;

  /** Uses the open port until it is lost or {@link #stopping()}; then returns. */
  @FunctionalInterface
  public interface Session {
    void serve(SerialPort port);
  }

  private final Path path;
  private final Session session;
  private final CountDownLatch stop = new CountDownLatch(1);
  private final CountDownLatch firstOpen = new CountDownLatch(1);
  private final Thread thread;
  private volatile @Nullable SerialPort current;

  /** Call {@link #start()} once the owner is ready to serve: the session runs on another thread. */
  public ReopeningPort(Path path, String threadName, Session session) {
    this.path = path;
    this.session = session;
    thread = new Thread(this::run, threadName);
    thread.setDaemon(true);
  }

  public ReopeningPort start() {
    thread.start();
    return this;
  }

  public Path path() {
    return path;
  }

  /** Waits until the port has been opened once. */
  public boolean awaitOpen(long timeout, TimeUnit unit) throws InterruptedException {
    return firstOpen.await(timeout, unit);
  }

  /** The port while it is open; empty while the cable is out. */
  public Optional<SerialPort> current() {
    return Optional.ofNullable(current);
  }

  public boolean stopping() {
    return stop.getCount() == 0;
  }

  @Override
  public void close() {
    stop.countDown();
    try {
      thread.join(TimeUnit.SECONDS.toMillis(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void run() {
    try {
      while (!stopping()) {
        SerialPort port = open();
        if (port == null) {
          // stop ends the wait at once.
          stop.await(REOPEN_POLL_MS, TimeUnit.MILLISECONDS);
          continue;
        }
        current = port;
        try {
          firstOpen.countDown();
          session.serve(port);
        } catch (RuntimeException e) {
          // A bug in the device must not take its port away for good: log, close, open again.
          LOG.error("Session on {} failed; reopening", path, e);
        } finally {
          current = null;
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
}
