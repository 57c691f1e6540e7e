package dev.linegate.simulator.serial;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A null-modem cable between two pseudo terminals, made by socat: what one end writes, the other
 * reads. Both ends are symlinks with fixed names, so {@link #unplug()} (socat killed: both devices
 * vanish, as when a USB-serial adapter is pulled) and {@link #plugIn()} (socat again, same names)
 * look to each side like a cable pulled and put back.
 *
 * <p>socat and the JVM must run as the same user: the ptys are mode 0600.
 */
public final class VirtualSerialPair implements AutoCloseable {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);

  private final Path a;
  private final Path b;
  private final Path log;
  private Process socat;

  private VirtualSerialPair(Path dir, String name) {
    a = dir.resolve(name + "A");
    b = dir.resolve(name + "B");
    log = dir.resolve(name + ".socat.log");
  }

  /**
   * Starts socat with the ends {@code dir/nameA} and {@code dir/nameB}; returns when both exist.
   */
  public static VirtualSerialPair create(Path dir, String name) throws IOException {
    Files.createDirectories(dir);
    var pair = new VirtualSerialPair(dir, name);
    pair.plugIn();
    return pair;
  }

  /** One end: give it to one party (the gateway, say). */
  public Path a() {
    return a;
  }

  /** The other end (the simulated device, say). */
  public Path b() {
    return b;
  }

  public synchronized boolean pluggedIn() {
    return socat != null && socat.isAlive();
  }

  /** Kills socat; returns once both device links are gone. Does nothing if already unplugged. */
  public synchronized void unplug() {
    if (socat == null) {
      return;
    }
    socat.destroy();
    try {
      if (!socat.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        socat.destroyForcibly().waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      }
      // socat removes its links when terminated; after a SIGKILL they would dangle.
      Files.deleteIfExists(a);
      Files.deleteIfExists(b);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      throw new IllegalStateException("cannot remove the links of " + a + " / " + b, e);
    } finally {
      socat = null;
    }
  }

  /** Starts socat again with the same link names; returns once both exist. */
  public synchronized void plugIn() throws IOException {
    if (pluggedIn()) {
      return;
    }
    var command =
        List.of("socat", "-d", "-d", "pty,raw,echo=0,link=" + a, "pty,raw,echo=0,link=" + b);
    // socat logs to stderr: a file, because an unread pipe would block it once full.
    Process started;
    try {
      started =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .start();
    } catch (IOException e) {
      throw new IOException(
          "socat makes the virtual serial cables and could not be run (is it installed?): "
              + e.getMessage(),
          e);
    }
    socat = started;
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (!(Files.exists(a) && Files.exists(b))) {
      if (!started.isAlive()) {
        socat = null;
        throw new IOException("socat exited with " + started.exitValue() + "; see " + log);
      }
      if (System.nanoTime() > deadline) {
        unplug();
        throw new IOException("socat made no " + a + " / " + b + " within " + START_TIMEOUT);
      }
      // socat creates the links within milliseconds; there is no event to wait on.
      pause(Duration.ofMillis(5));
    }
  }

  @Override
  public void close() {
    unplug();
  }

  @Override
  public String toString() {
    return "socat " + a + " <-> " + b;
  }

  private static void pause(Duration duration) throws IOException {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting for socat", e);
    }
  }
}
