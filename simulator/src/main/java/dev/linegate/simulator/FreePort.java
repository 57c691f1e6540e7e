package dev.linegate.simulator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A TCP port nothing listens on, for a part started on it a moment later (the tests' brokers, ERPs
 * and gateways). Taken below the kernel's ephemeral range (32768 and up on Linux): a port from that
 * range, as {@code new ServerSocket(0)} gives, can become the local port of any outgoing connection
 * before the part binds it ("Address already in use", which LabelsIT met once).
 */
public final class FreePort {

  private static final int FROM = 20_000;
  private static final int TO = 32_000;

  private FreePort() {}

  public static int pick() {
    for (int attempt = 0; attempt < 200; attempt++) {
      int port = ThreadLocalRandom.current().nextInt(FROM, TO);
      try (ServerSocket socket = new ServerSocket(port)) {
        return socket.getLocalPort();
      } catch (IOException taken) {
        // Someone listens there: try another.
      }
    }
    throw new UncheckedIOException(new IOException("no free port between " + FROM + " and " + TO));
  }
}
