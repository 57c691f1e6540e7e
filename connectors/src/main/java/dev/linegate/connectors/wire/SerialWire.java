package dev.linegate.connectors.wire;

import com.fazecast.jSerialComm.SerialPort;
import dev.linegate.connectors.serial.SerialPorts;
import dev.linegate.connectors.serial.SerialSettings;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;

/**
 * A device on a serial port. A vanished device shows as a read of -1 or no bytes available; the
 * port's PORT_DISCONNECTED event is not used: it fires in a tight loop until the port is closed,
 * and closing from the event thread would race the thread using the port.
 *
 * <p>Writes are bounded by the write timeout although jSerialComm's own write timeout works on
 * Windows only (on Linux {@code writeBytes} is a blocking {@code write()}, which flow control can
 * hold for ever):
 *
 * <ul>
 *   <li>Bytes go out in slices of {@value #SLICE}, each only when the driver's output queue ({@code
 *       TIOCOUTQ}, {@link SerialPort#bytesAwaitingWrite()}) has room for it, so on a UART or USB
 *       adapter held by XOFF or CTS the queue fills, no {@code write()} blocks, and the wait is
 *       checked against the deadline.
 *   <li>Some drivers say nothing in {@code TIOCOUTQ}: a pty always reports 0, and a pty stopped by
 *       XOFF blocks {@code write()} even with an empty queue. So each slice is written by a writer
 *       thread, and the caller waits for it only until the deadline. A slice still held then stays
 *       with the writer thread: the next write waits for it first (it completes when the device
 *       resumes), and {@link #close()} releases it.
 * </ul>
 *
 * On timeout the output queue is flushed and {@link Wire.StalledException} says how many bytes were
 * handed to the driver.
 */
final class SerialWire implements Wire {
  /** Bytes per {@code write()}. */
  static final int SLICE = 256;

  /**
   * Queued bytes up to which one more slice is written. Well under the kernel's transmit buffer (a
   * page for serial_core and usb-serial), so that write does not block.
   */
  private static final int QUEUE_LIMIT = 1024;

  /** How long to wait between looks at a full output queue. */
  private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

  /** One read waits at most this long; longer reads are made of such slices. */
  private static final Duration READ_SLICE = Duration.ofMillis(100);

  private final String path;
  private final SerialPort port;
  private final Duration writeTimeout;
  private final ExecutorService writer;

  /** A slice the writer thread has not finished: the device held it past a deadline. */
  private @Nullable Future<Integer> heldSlice;

  private SerialWire(String path, SerialPort port, Duration writeTimeout) {
    this.path = path;
    this.port = port;
    this.writeTimeout = writeTimeout;
    this.writer =
        Executors.newSingleThreadExecutor(
            task -> {
              var thread = new Thread(task, "serial-writer " + path);
              thread.setDaemon(true);
              return thread;
            });
  }

  static SerialWire open(String path, SerialSettings settings, Duration writeTimeout)
      throws IOException {
    SerialPort port = SerialPorts.open(path, settings, READ_SLICE);
    return new SerialWire(path, port, writeTimeout);
  }

  @Override
  public void write(byte[] bytes) throws IOException {
    long deadline = System.nanoTime() + writeTimeout.toNanos();
    Future<Integer> held = heldSlice;
    if (held != null) {
      heldSlice = null;
      int written = await(held, deadline, 0, bytes.length);
      if (written < 0) {
        throw disconnected();
      }
    }
    int offset = 0;
    while (offset < bytes.length) {
      int queued = port.bytesAwaitingWrite();
      if (queued < 0 || port.bytesAvailable() < 0) {
        throw disconnected();
      }
      if (queued + SLICE <= QUEUE_LIMIT) {
        int length = Math.min(SLICE, bytes.length - offset);
        int from = offset;
        int written;
        try {
          written =
              await(
                  writer.submit(() -> port.writeBytes(bytes, length, from)),
                  deadline,
                  offset,
                  bytes.length);
        } catch (RejectedExecutionException e) {
          // Closed while writing (shutdown): as a port that went away.
          throw disconnected();
        }
        if (written < 0) {
          throw disconnected();
        }
        offset += written;
        if (written > 0) {
          continue;
        }
      }
      if (System.nanoTime() - deadline >= 0) {
        throw stalled(offset, bytes.length);
      }
      LockSupport.parkNanos(POLL_NANOS);
    }
  }

  /** The slice's result, or a stall once the deadline passed; the slice is then kept as held. */
  private int await(Future<Integer> slice, long deadline, int sent, int total) throws IOException {
    try {
      return slice.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (TimeoutException held) {
      heldSlice = slice;
      throw stalled(sent, total);
    } catch (ExecutionException e) {
      throw new IOException(
          "serial port " + path + ": write failed: " + e.getCause(), e.getCause());
    } catch (InterruptedException e) {
      heldSlice = slice;
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while writing to serial port " + path);
    }
  }

  private StalledException stalled(int sent, int total) {
    port.flushIOBuffers();
    return new StalledException(
        "serial port "
            + path
            + ": the device took no data for "
            + writeTimeout.toMillis()
            + " ms (flow control held), "
            + sent
            + " of "
            + total
            + " bytes sent");
  }

  private IOException disconnected() {
    return new IOException("serial port " + path + " disconnected while writing");
  }

  /**
   * Reads in slices of {@link #READ_SLICE} (the port's semi-blocking read timeout, set once at
   * open) until bytes come or {@code timeout} has passed; so a timeout under 100 ms still waits
   * (one slice) instead of polling a non-blocking port.
   */
  @Override
  public int read(byte[] buffer, Duration timeout) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    do {
      int read = port.readBytes(buffer, buffer.length);
      if (read < 0) {
        throw new IOException("serial port " + path + " disconnected");
      }
      if (read > 0) {
        return read;
      }
    } while (System.nanoTime() - deadline < 0);
    return 0;
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

  /** Closes the port, which also ends a slice the device still holds (its write fails). */
  @Override
  public void close() {
    port.closePort();
    writer.shutdown();
  }
}
