package dev.linegate.connectors.wire;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketOption;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import jdk.net.ExtendedSocketOptions;

/**
 * A raw TCP port: a network printer's 9100, or a serial device server (a scanner behind a
 * serial-to-Ethernet converter).
 *
 * <p>A write that has not finished within the write timeout (the device's TCP window stayed shut)
 * is ended by closing the socket: it fails as a {@link Wire.StalledException}, and as the stream
 * cannot be resumed in the middle, every later call fails as a lost connection. TCP keepalive (idle
 * {@value #KEEPALIVE_IDLE_S} s, then {@value #KEEPALIVE_COUNT} probes {@value
 * #KEEPALIVE_INTERVAL_S} s apart) notices a device that vanished without a reset within about 30 s,
 * also while nothing is written.
 */
final class TcpWire implements Wire {
  static final int KEEPALIVE_IDLE_S = 10;
  static final int KEEPALIVE_INTERVAL_S = 5;
  static final int KEEPALIVE_COUNT = 4;

  /** Closes the sockets of writes that overran their timeout; shared, it only ever waits. */
  private static final ScheduledExecutorService WATCHDOG =
      Executors.newSingleThreadScheduledExecutor(
          task -> {
            var thread = new Thread(task, "tcp-write-watchdog");
            thread.setDaemon(true);
            return thread;
          });

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;
  private final String address;
  private final Duration writeTimeout;
  private volatile boolean stalled;

  private TcpWire(Socket socket, String address, Duration writeTimeout) throws IOException {
    this.socket = socket;
    this.address = address;
    this.writeTimeout = writeTimeout;
    this.in = socket.getInputStream();
    this.out = socket.getOutputStream();
  }

  static TcpWire connect(URI address, Duration timeout, Duration writeTimeout) throws IOException {
    var socket = new Socket();
    String name = address.getHost() + ":" + address.getPort();
    try {
      socket.setTcpNoDelay(true);
      keepAlive(socket);
      socket.connect(
          new InetSocketAddress(address.getHost(), address.getPort()),
          (int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
      return new TcpWire(socket, name, writeTimeout);
    } catch (IOException e) {
      socket.close();
      throw new IOException("cannot connect to " + name + ": " + e.getMessage(), e);
    }
  }

  private static void keepAlive(Socket socket) throws IOException {
    socket.setKeepAlive(true);
    setIfSupported(socket, ExtendedSocketOptions.TCP_KEEPIDLE, KEEPALIVE_IDLE_S);
    setIfSupported(socket, ExtendedSocketOptions.TCP_KEEPINTERVAL, KEEPALIVE_INTERVAL_S);
    setIfSupported(socket, ExtendedSocketOptions.TCP_KEEPCOUNT, KEEPALIVE_COUNT);
  }

  private static void setIfSupported(Socket socket, SocketOption<Integer> option, int value)
      throws IOException {
    if (socket.supportedOptions().contains(option)) {
      socket.setOption(option, value);
    }
  }

  @Override
  public void write(byte[] bytes) throws IOException {
    if (stalled) {
      throw new IOException("connection to " + address + " closed after a stalled write");
    }
    ScheduledFuture<?> watchdog =
        WATCHDOG.schedule(this::stall, writeTimeout.toNanos(), TimeUnit.NANOSECONDS);
    try {
      out.write(bytes);
      out.flush();
    } catch (IOException e) {
      if (stalled) {
        throw new StalledException(
            address
                + ": the device took no data for "
                + writeTimeout.toMillis()
                + " ms (TCP window shut); connection closed");
      }
      throw new IOException(
          "connection to " + address + " lost while writing: " + e.getMessage(), e);
    } finally {
      watchdog.cancel(false);
    }
  }

  /** The watchdog's move: a write blocked past its timeout fails once the socket is closed. */
  private void stall() {
    stalled = true;
    try {
      // A reset, not a close: the kernel would otherwise go on delivering the rest of the label
      // once the printer reads again, after it was counted as in doubt.
      socket.setSoLinger(true, 0);
    } catch (IOException e) {
      // The socket is going anyway.
    }
    close();
  }

  /** For tests: the socket's options. */
  Socket socket() {
    return socket;
  }

  @Override
  public int read(byte[] buffer, Duration timeout) throws IOException {
    socket.setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis())));
    try {
      int read = in.read(buffer);
      if (read < 0) {
        throw new IOException(address + " closed the connection");
      }
      return read;
    } catch (SocketTimeoutException nothingYet) {
      return 0;
    }
  }

  @Override
  public void discardInput() throws IOException {
    while (in.available() > 0) {
      if (in.skip(in.available()) <= 0) {
        break;
      }
    }
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      // Nothing left to release.
    }
  }
}
