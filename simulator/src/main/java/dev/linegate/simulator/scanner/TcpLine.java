package dev.linegate.simulator.scanner;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scanner behind a serial device server: it listens on a TCP port and sends its scans down the
 * connection the gateway opened. A device server serves one host at a time, so a new connection
 * replaces the one before (the gateway reconnecting after a network fault).
 */
final class TcpLine implements ScannerLine {
  private static final Logger LOG = LoggerFactory.getLogger(TcpLine.class);

  private final ServerSocket server;
  private final String endpoint;
  private volatile @Nullable Socket current;

  private TcpLine(ServerSocket server) {
    this.server = server;
    this.endpoint =
        "tcp://" + server.getInetAddress().getHostAddress() + ":" + server.getLocalPort();
  }

  /** Listens on {@code host:port} (0: a free port); the gateway connects to {@link #endpoint()}. */
  static TcpLine listen(InetAddress host, int port) throws IOException {
    var socket = new ServerSocket();
    try {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(host, port));
    } catch (IOException e) {
      socket.close();
      throw new IOException(
          "scanner cannot listen on " + host.getHostAddress() + ":" + port + ": " + e.getMessage(),
          e);
    }
    var line = new TcpLine(socket);
    daemon(line::accept, "scanner-tcp-" + socket.getLocalPort());
    return line;
  }

  @Override
  public boolean connected() {
    return current != null;
  }

  @Override
  public synchronized void write(byte[] bytes) {
    Socket connection = current;
    if (connection == null) {
      throw new IllegalStateException("scanner " + endpoint + ": the gateway is not connected");
    }
    try {
      connection.getOutputStream().write(bytes);
      connection.getOutputStream().flush();
    } catch (IOException e) {
      drop(connection);
      throw new IllegalStateException(
          "scanner " + endpoint + ": connection lost: " + e.getMessage(), e);
    }
  }

  @Override
  public String endpoint() {
    return endpoint;
  }

  @Override
  public void close() {
    closeQuietly(server);
    Socket connection = current;
    if (connection != null) {
      drop(connection);
    }
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket connection = server.accept();
        Socket before = current;
        current = connection;
        if (before != null) {
          closeQuietly(before);
        }
        daemon(() -> watch(connection), "scanner-tcp-conn-" + connection.getPort());
      } catch (IOException closed) {
        return;
      }
    }
  }

  /** The host sends a scanner nothing; reading only tells when it hangs up (-1). */
  private void watch(Socket connection) {
    byte[] ignored = new byte[256];
    try (InputStream in = connection.getInputStream()) {
      while (in.read(ignored) >= 0) {
        // Dropped: nothing the host sends means anything to a scanner.
      }
    } catch (IOException e) {
      LOG.debug(
          "Scanner connection from {} ended: {}",
          connection.getRemoteSocketAddress(),
          e.toString());
    } finally {
      drop(connection);
    }
  }

  private synchronized void drop(Socket connection) {
    if (current == connection) {
      current = null;
    }
    closeQuietly(connection);
  }

  private static void daemon(Runnable task, String name) {
    var thread = new Thread(task, name);
    thread.setDaemon(true);
    thread.start();
  }

  private static void closeQuietly(AutoCloseable closeable) {
    try {
      closeable.close();
    } catch (Exception e) {
      LOG.debug("Closing {}: {}", closeable, e.toString());
    }
  }
}
