package dev.linegate.connectors.wire;

import dev.linegate.connectors.serial.SerialSettings;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;

/**
 * Where a device is, as written in the configuration: a serial device ({@code /dev/ttyUSB0}) or
 * {@code tcp://host:port}; and how to open it.
 */
public final class Wires {
  private static final String TCP = "tcp://";

  private Wires() {}

  public static boolean tcp(String port) {
    return port.startsWith(TCP);
  }

  /**
   * Host and port of a {@code tcp://host:port} address.
   *
   * @throws IllegalArgumentException when it is not of that form
   */
  public static URI tcpAddress(String port) {
    try {
      URI uri = new URI(port);
      if (!tcp(port)
          || uri.getHost() == null
          || uri.getPort() < 1
          || !(uri.getPath() == null || uri.getPath().isEmpty())) {
        throw new URISyntaxException(port, "expected tcp://host:port");
      }
      return uri;
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("port '" + port + "' is not tcp://host:port", e);
    }
  }

  /**
   * Opens the serial port or connects to the TCP address.
   *
   * @param connectTimeout how long a TCP connect may take
   * @param writeTimeout how long a write may take: serial flow control or a shut TCP window may
   *     hold it; past that it fails with {@link Wire.StalledException}
   * @throws IOException naming the port when it does not exist, cannot be opened or refuses
   */
  public static Wire open(
      String port, SerialSettings serial, Duration connectTimeout, Duration writeTimeout)
      throws IOException {
    return tcp(port)
        ? TcpWire.connect(tcpAddress(port), connectTimeout, writeTimeout)
        : SerialWire.open(port, serial, writeTimeout);
  }
}
