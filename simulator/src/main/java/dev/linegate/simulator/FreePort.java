package dev.linegate.simulator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP port nothing listens on, for a part started on it a moment later (the tests' brokers, ERPs
 * and gateways). Taken below the kernel's ephemeral range (32768 and up on Linux): a port from that
 * range, as {@code new ServerSocket(0)} gives, can become the local port of any outgoing connection
 * before the part binds it ("Address already in use", which LabelsIT met once). The ports are
 * walked through in turn from a random start, so a run that asks for several before binding any
 * (the demo's ten) never gets one twice; the random start keeps parallel runs apart.
 */
public final class FreePort {

  private static final int FROM = 20_000;
  private static final int TO = 32_000;

  private static final AtomicInteger next =
      new AtomicInteger(ThreadLocalRandom.current().nextInt(TO - FROM));

  private FreePort() {}

  public static int pick() {
    for (int attempt = 0; attempt < 200; attempt++) {
      int port = FROM + Math.floorMod(next.getAndIncrement(), TO - FROM);
      try (ServerSocket socket = new ServerSocket(port)) {
        return socket.getLocalPort();
      } catch (IOException taken) {
        // Someone listens there: try another.
      }
    }
    throw new UncheckedIOException(new IOException("no free port between " + FROM + " and " + TO));
  }
}
