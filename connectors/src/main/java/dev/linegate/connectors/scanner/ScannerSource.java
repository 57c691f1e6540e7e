package dev.linegate.connectors.scanner;

import dev.linegate.connectors.Connection;
import dev.linegate.connectors.wire.Wire;
import dev.linegate.connectors.wire.Wires;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one scanner. The port is read on the source's own thread ({@code scanner-<id>}), a slice at
 * a time, and the listener is called there: hand scans on rather than doing slow work in it.
 *
 * <p>When the port is lost (cable pulled: the device vanishes and reads fail) it is closed at once,
 * the status goes DOWN with the reason, and it is opened again after the backoff; a port that does
 * not exist yet is tried the same way. Bytes of a scan cut short by the loss are dropped.
 */
public final class ScannerSource extends Connection<Wire> {
  private static final Logger LOG = LoggerFactory.getLogger(ScannerSource.class);

  /** The longest a read waits, which is how late the thread turns to its other work. */
  private static final Duration READ_SLICE = Duration.ofMillis(100);

  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);

  /** The scanner is never written to; jSerialComm wants a value anyway. */
  private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(1);

  private final ScannerSourceConfig config;
  private final byte[] buffer = new byte[1024];
  private boolean started;
  private Consumer<Scan> listener = scan -> {};
  private ScanFraming framing;

  public ScannerSource(ScannerSourceConfig config) {
    super("scanner", config.id(), "scanner-" + config.id(), config.reopenBackoff(), LOG);
    this.config = config;
    this.framing = new ScanFraming(config.id(), config.maxScanLength());
  }

  /**
   * Opens the port on the source's thread and delivers each scan to {@code listener}, in order.
   * Returns at once; {@link #status()} says whether the port is open.
   *
   * @throws IllegalStateException when started before, or closed
   */
  public synchronized void start(Consumer<Scan> listener) {
    if (started || closed()) {
      throw new IllegalStateException("scanner:" + config.id() + " was started before");
    }
    started = true;
    this.listener = listener;
    connect();
  }

  @Override
  protected Wire open(int connection) throws IOException {
    return Wires.open(config.port(), config.serial(), CONNECT_TIMEOUT, WRITE_TIMEOUT);
  }

  @Override
  protected String whyNot(Exception failure) {
    return String.valueOf(failure.getMessage());
  }

  @Override
  protected String describe(Wire wire) {
    return "open on " + config.port();
  }

  @Override
  protected void opened(Wire wire, int connection, boolean again) {
    if (again) {
      LOG.info("Scanner {} reconnected on {}", config.id(), config.port());
    }
    framing = new ScanFraming(config.id(), config.maxScanLength());
    execute(() -> read(wire, connection));
  }

  /** One slice of reading; queued again behind whatever else waits for the thread. */
  private void read(Wire wire, int connection) {
    if (!current(connection)) {
      return;
    }
    try {
      int read = wire.read(buffer, READ_SLICE);
      if (read > 0) {
        framing.feed(buffer, read, Instant.now()).forEach(this::deliver);
      }
    } catch (IOException e) {
      lost(connection, "disconnected: " + e.getMessage());
      return;
    }
    execute(() -> read(wire, connection));
  }

  @Override
  protected void dropped(Wire wire) {
    if (framing.pending() > 0) {
      LOG.warn(
          "Scanner {}: {} bytes of an unfinished scan dropped", config.id(), framing.pending());
    }
  }

  @Override
  protected void disconnect(Wire wire) {
    wire.close();
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
