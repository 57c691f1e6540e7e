package dev.linegate.simulator.printer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The printer's network interface, like port 9100 of a Zebra: raw ZPL in, host status out, one
 * session per connection. Powered off, it closes its port and every connection; powered on again,
 * it listens on the same port.
 */
final class TcpEndpoint implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TcpEndpoint.class);

  private final InetAddress host;
  private final Supplier<PrinterSession> sessions;
  private final Set<Socket> connections = ConcurrentHashMap.newKeySet();
  private final int port;
  private @Nullable ServerSocket server;

  TcpEndpoint(InetAddress host, int wantedPort, Supplier<PrinterSession> sessions)
      throws IOException {
    this.host = host;
    this.sessions = sessions;
    this.port = listen(wantedPort);
  }

  int port() {
    return port;
  }

  synchronized void powerOff() {
    ServerSocket listening = server;
    server = null;
    closeQuietly(listening);
    connections.forEach(TcpEndpoint::closeQuietly);
    connections.clear();
  }

  synchronized void powerOn() throws IOException {
    if (server == null) {
      listen(port);
    }
  }

  @Override
  public void close() {
    powerOff();
  }

  private synchronized int listen(int wanted) throws IOException {
    var socket = new ServerSocket();
    socket.setReuseAddress(true);
    try {
      socket.bind(new InetSocketAddress(host, wanted));
    } catch (IOException e) {
      socket.close();
      throw new IOException("printer cannot listen on " + host.getHostAddress() + ":" + wanted, e);
    }
    server = socket;
    var acceptor = new Thread(() -> accept(socket), "printer-tcp-" + socket.getLocalPort());
    acceptor.setDaemon(true);
    acceptor.start();
    return socket.getLocalPort();
  }

  private void accept(ServerSocket socket) {
    while (!socket.isClosed()) {
      try {
        Socket connection = socket.accept();
        connections.add(connection);
        var thread =
            new Thread(() -> serve(connection), "printer-tcp-conn-" + connection.getPort());
        thread.setDaemon(true);
        thread.start();
      } catch (IOException closed) {
        return;
      }
    }
  }

  private void serve(Socket connection) {
    PrinterSession session = sessions.get();
    byte[] buffer = new byte[4096];
    try (connection;
        InputStream in = connection.getInputStream();
        OutputStream out = connection.getOutputStream()) {
      int read;
      while ((read = in.read(buffer)) >= 0) {
        byte[] answer = session.receive(buffer, read);
        if (answer.length > 0) {
          out.write(answer);
          out.flush();
        }
      }
    } catch (IOException e) {
      LOG.debug(
          "Printer connection from {} ended: {}",
          connection.getRemoteSocketAddress(),
          e.toString());
    } finally {
      connections.remove(connection);
    }
  }

  private static void closeQuietly(@Nullable AutoCloseable closeable) {
    if (closeable == null) {
      return;
    }
    try {
      closeable.close();
    } catch (Exception e) {
      LOG.debug("Closing {}: {}", closeable, e.toString());
    }
  }
}
