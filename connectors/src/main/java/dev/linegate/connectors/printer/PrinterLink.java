package dev.linegate.connectors.printer;

import dev.linegate.connectors.Connector;
import dev.linegate.connectors.ConnectorStatus;
import dev.linegate.connectors.ConnectorStatus.State;
import dev.linegate.connectors.LinkHealth;
import dev.linegate.connectors.printer.PrinterUnavailableException.Reason;
import dev.linegate.connectors.wire.Wire;
import dev.linegate.connectors.wire.Wires;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connection to one label printer, serial or TCP. Blocking, and called from one thread only
 * (the gateway's printer worker); {@link #status()} may be read from any thread.
 *
 * <p>The port is opened on first use. When it is lost (cable pulled, printer switched off), it is
 * closed at once and not opened again before the backoff delay has passed: calls in between fail at
 * once with "reopening in N ms", so a worker calling in a loop neither spins nor hammers the
 * device. A port lost while nobody calls is noticed by the next call; poll {@link #queryStatus()}
 * to keep {@link #status()} current.
 */
public final class PrinterLink implements Connector {

  private static final byte[] CANCEL_PARTIAL_FORMAT = "~JX".getBytes(StandardCharsets.US_ASCII);
  private static final Logger LOG = LoggerFactory.getLogger(PrinterLink.class);
  private static final byte[] HOST_STATUS = "~HS".getBytes(StandardCharsets.US_ASCII);

  private final PrinterLinkConfig config;
  private final AtomicLong openAttempts = new AtomicLong();
  private final LinkHealth health;
  private @Nullable Wire wire;

  /** Set when a write did not finish: the next one first cancels what the printer holds of it. */
  private boolean cancelPartialFormat;

  public PrinterLink(PrinterLinkConfig config) {
    this.config = config;
    this.health = new LinkHealth("printer:" + config.id(), config.reopenBackoff());
  }

  /**
   * Asks the printer for its {@code ~HS} status: opens the port if needed, drops stale input, sends
   * {@code ~HS} and reads the three framed lines within the status timeout. A printer with a fault
   * is {@link ConnectorStatus.State#DOWN} in {@link #status()}, with the fault as detail.
   *
   * @throws PrinterUnavailableException no port, lost port, no answer in time (a Zebra is silent in
   *     paper out, ribbon out and head open) or an answer that is not a status
   */
  public PrinterStatus queryStatus() throws PrinterUnavailableException {
    Wire open = ensureOpen();
    String answer;
    try {
      open.discardInput();
      open.write(HOST_STATUS);
      answer = readAnswer(open);
    } catch (Wire.StalledException e) {
      throw problem(Reason.STALLED, e.getMessage(), e);
    } catch (IOException e) {
      throw lost(e);
    }
    if (!PrinterStatus.complete(answer)) {
      throw problem(
          Reason.NO_ANSWER,
          "no answer to ~HS within "
              + config.statusTimeout().toMillis()
              + " ms (paper out, ribbon out, head open or powered off?)",
          null);
    }
    try {
      PrinterStatus printer = PrinterStatus.parse(answer);
      printer
          .fault()
          .ifPresentOrElse(fault -> mark(State.DOWN, fault), () -> mark(State.UP, "ready"));
      return printer;
    } catch (IllegalArgumentException e) {
      throw problem(Reason.GARBLED, e.getMessage(), e);
    }
  }

  /**
   * Writes {@code zpl} to the printer, all of it (serial flow control may slow it down, up to the
   * write timeout). It says nothing about printing: ask {@link #queryStatus()} for that.
   */
  public void send(byte[] zpl) throws PrinterUnavailableException {
    Wire open = ensureOpen();
    try {
      if (cancelPartialFormat) {
        // A label cut short by a stall or a lost connection may sit half-received in the
        // printer; ~JX drops it, so that it cannot merge with the next one.
        open.write(CANCEL_PARTIAL_FORMAT.clone());
        cancelPartialFormat = false;
      }
      open.write(zpl.clone());
    } catch (Wire.StalledException e) {
      cancelPartialFormat = true;
      throw problem(Reason.STALLED, e.getMessage(), e);
    } catch (IOException e) {
      cancelPartialFormat = true;
      throw lost(e);
    }
  }

  @Override
  public String kind() {
    return "printer";
  }

  @Override
  public String id() {
    return config.id();
  }

  /** For /health: UP, or DOWN with the reason, and how often the port was opened again. */
  @Override
  public ConnectorStatus status() {
    return health.status();
  }

  /** Times the port was (tried to be) opened; lets tests see that a lost port is not hammered. */
  long openAttempts() {
    return openAttempts.get();
  }

  @Override
  public void close() {
    closeWire();
    mark(State.STOPPED, "closed");
  }

  private Wire ensureOpen() throws PrinterUnavailableException {
    Wire open = wire;
    if (open != null) {
      return open;
    }
    Duration wait = health.untilNextAttempt();
    if (!wait.isZero()) {
      throw new PrinterUnavailableException(
          Reason.NOT_CONNECTED,
          name() + ": " + health.lastProblem() + "; reopening in " + wait.toMillis() + " ms");
    }
    openAttempts.incrementAndGet();
    try {
      open =
          Wires.open(config.port(), config.serial(), config.statusTimeout(), config.writeTimeout());
    } catch (IOException e) {
      Duration delay = health.failed(String.valueOf(e.getMessage()));
      throw new PrinterUnavailableException(
          Reason.NOT_CONNECTED,
          name() + ": " + e.getMessage() + "; next attempt in " + delay.toMillis() + " ms",
          e);
    }
    wire = open;
    if (health.opened("open on " + config.port())) {
      LOG.info("Printer {} reconnected on {}", config.id(), config.port());
    }
    return open;
  }

  private String readAnswer(Wire open) throws IOException {
    var answer = new StringBuilder();
    byte[] buffer = new byte[256];
    long deadline = System.nanoTime() + config.statusTimeout().toNanos();
    long left;
    while (!PrinterStatus.complete(answer) && (left = deadline - System.nanoTime()) > 0) {
      int read = open.read(buffer, Duration.ofNanos(left));
      answer.append(new String(buffer, 0, read, StandardCharsets.ISO_8859_1));
    }
    return answer.toString();
  }

  /** The port is gone: close it, and open it again only after the backoff. */
  private PrinterUnavailableException lost(IOException e) {
    closeWire();
    Duration delay = health.failed("disconnected: " + e.getMessage());
    LOG.warn(
        "Printer {} lost: {}; reopening in {} ms", config.id(), e.getMessage(), delay.toMillis());
    return new PrinterUnavailableException(
        Reason.LOST,
        name() + ": " + e.getMessage() + "; reopening in " + delay.toMillis() + " ms",
        e);
  }

  /** The port stays open: the printer is there but cannot or will not answer. */
  private PrinterUnavailableException problem(
      Reason reason, @Nullable String message, @Nullable Throwable cause) {
    String text = String.valueOf(message);
    mark(State.DOWN, text);
    return cause == null
        ? new PrinterUnavailableException(reason, name() + ": " + text)
        : new PrinterUnavailableException(reason, name() + ": " + text, cause);
  }

  private void closeWire() {
    Wire open = wire;
    wire = null;
    if (open != null) {
      open.close();
    }
  }

  private void mark(State state, String detail) {
    health.mark(state, detail);
  }

  private String name() {
    return health.name();
  }
}
