package dev.linegate.connectors.wire;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.time.Duration;

/**
 * A raw TCP port: a network printer's 9100, or a serial device server (a scanner behind a
 * serial-to-Ethernet converter).
 */
final class TcpWire implements Wire {
  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;
  private final String address;

  private TcpWire(Socket socket, String address) throws IOException {
    this.socket = socket;
    this.address = address;
    this.in = socket.getInputStream();
    this.out = socket.getOutputStream();
  }

  static TcpWire connect(URI address, Duration timeout) throws IOException {
    var socket = new Socket();
    String name = address.getHost() + ":" + address.getPort();
    try {
      socket.setTcpNoDelay(true);
      socket.connect(
          new InetSocketAddress(address.getHost(), address.getPort()),
          (int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
      return new TcpWire(socket, name);
    } catch (IOException e) {
      socket.close();
      throw new IOException("cannot connect to " + name + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void write(byte[] bytes) throws IOException {
    try {
      out.write(bytes);
      out.flush();
    } catch (IOException e) {
      throw new IOException("connection to " + address + " lost while writing: " + e.getMessage(), e);
    }
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
