package dev.linegate.connectors.scanner;

import dev.linegate.connectors.ConnectorStatus;
import dev.linegate.connectors.ConnectorStatus.State;
import dev.linegate.connectors.ConnectorThread;
import dev.linegate.connectors.LinkHealth;
import dev.linegate.connectors.wire.Wire;
import dev.linegate.connectors.wire.Wires;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one scanner. The port is read on the source's own thread ({@code scanner-<id>}), which also
 * calls the listener: hand scans on rather than doing slow work in it.
 *
 * <p>When the port is lost (cable pulled: the device vanishes and reads fail) it is closed at once,
 * the status goes DOWN with the reason, and it is opened again after the backoff; a port that does
 * not exist yet is tried the same way. Bytes of a scan cut short by the loss are dropped.
 */
public final class ScannerSource implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ScannerSource.class);

  /** The longest a read waits, which is how late the thread notices {@link #close()}. */
  private static final Duration READ_SLICE = Duration.ofMillis(100);

  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);

  /** The scanner is never written to; jSerialComm wants a value anyway. */
  private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(1);

  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

  private final ScannerSourceConfig config;
  private final LinkHealth health;
  private final AtomicLong openAttempts = new AtomicLong();
  private volatile boolean closing;
  private @Nullable ScheduledExecutorService thread;
  private Consumer<Scan> listener = scan -> {};

  public ScannerSource(ScannerSourceConfig config) {
    this.config = config;
    this.health = new LinkHealth("scanner:" + config.id(), config.reopenBackoff());
  }

  /**
   * Opens the port on the source's thread and delivers each scan to {@code listener}, in order.
   * Returns at once; {@link #status()} says whether the port is open.
   *
   * @throws IllegalStateException when started before, or closed
   */
  public synchronized void start(Consumer<Scan> listener) {
    if (thread != null || closing) {
      throw new IllegalStateException(health.name() + " was started before");
    }
    this.listener = listener;
    // Any failure of a session (the port is closed on the way out) is a lost port: opened again.
    ScheduledExecutorService started =
        ConnectorThread.create(
            "scanner-" + config.id(), LOG, failure -> retryLater("unexpected failure: " + failure));
    thread = started;
    started.execute(this::session);
  }

  /** For /health: UP, or DOWN with the reason, and how often the port was opened again. */
  public ConnectorStatus status() {
    return health.status();
  }

  /** Times the port was (tried to be) opened; lets tests see that a lost port is not hammered. */
  long openAttempts() {
    return openAttempts.get();
  }

  /** Stops reading and closes the port; waits for the thread, so no scan is delivered after. */
  @Override
  public void close() {
    ScheduledExecutorService running;
    synchronized (this) {
      closing = true;
      running = thread;
    }
    if (running != null) {
      running.shutdown();
      try {
        if (!running.awaitTermination(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
          LOG.warn("Scanner {}: its thread did not stop within {}", config.id(), CLOSE_TIMEOUT);
          running.shutdownNow();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    health.mark(State.STOPPED, "closed");
  }

  /** Opens the port and reads it until it is lost or the source is closed. */
  private void session() {
    if (closing) {
      return;
    }
    openAttempts.incrementAndGet();
    Wire wire;
    try {
      wire = Wires.open(config.port(), config.serial(), CONNECT_TIMEOUT, WRITE_TIMEOUT);
    } catch (IOException e) {
      retryLater(String.valueOf(e.getMessage()));
      return;
    }
    if (health.opened("open on " + config.port())) {
      LOG.info("Scanner {} reconnected on {}", config.id(), config.port());
    }
    var framing = new ScanFraming(config.id(), config.maxScanLength());
    try (wire) {
      byte[] buffer = new byte[1024];
      while (!closing) {
        int read = wire.read(buffer, READ_SLICE);
        if (read > 0) {
          framing.feed(buffer, read, Instant.now()).forEach(this::deliver);
        }
      }
    } catch (IOException e) {
      if (framing.pending() > 0) {
        LOG.warn(
            "Scanner {}: {} bytes of an unfinished scan dropped", config.id(), framing.pending());
      }
      retryLater("disconnected: " + e.getMessage());
    }
  }

  private void retryLater(String problem) {
    if (closing) {
      return;
    }
    Duration delay = health.failed(problem);
    LOG.warn("Scanner {}: {}; next attempt in {} ms", config.id(), problem, delay.toMillis());
    ScheduledExecutorService running = thread;
    try {
      if (running != null) {
        running.schedule(this::session, delay.toNanos(), TimeUnit.NANOSECONDS);
      }
    } catch (RejectedExecutionException closed) {
      // close() came in between; nothing to reopen.
    }
  }

  private void deliver(Scan scan) {
    scan.problem().ifPresent(problem -> LOG.warn("Scanner {}: {}", config.id(), problem));
    try {
      listener.accept(scan);
    } catch (RuntimeException e) {
      // One bad scan must not stop the station: the next one is read as usual.
      LOG.error("Scanner {}: the listener failed on a scan", config.id(), e);
    }
  }
}
