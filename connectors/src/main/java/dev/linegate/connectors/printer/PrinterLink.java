package dev.linegate.connectors.printer;

import dev.linegate.connectors.Connection;
import dev.linegate.connectors.ConnectorStatus;
import dev.linegate.connectors.ConnectorStatus.State;
import dev.linegate.connectors.printer.PrinterUnavailableException.Reason;
import dev.linegate.connectors.wire.Wire;
import dev.linegate.connectors.wire.Wires;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connection to one label printer, serial or TCP: an output {@link Connection}. The port is
 * opened on the first call and kept open; when it is lost (cable pulled, printer switched off) it
 * is closed at once and opened again after the backoff, on the link's thread {@code
 * printer-link-<id>}. Calls wait for their outcome and run on that thread, after any reconnect;
 * calls while the port is closed fail at once with "reopening in N ms", so a worker calling in a
 * loop neither spins nor hammers the device. A port lost while nobody calls is noticed by the next
 * call; poll {@link #queryStatus()} to keep {@link #status()} current.
 */
public final class PrinterLink extends Connection<Wire> {

  private static final byte[] CANCEL_PARTIAL_FORMAT = "~JX".getBytes(StandardCharsets.US_ASCII);
  private static final Logger LOG = LoggerFactory.getLogger(PrinterLink.class);
  private static final byte[] HOST_STATUS = "~HS".getBytes(StandardCharsets.US_ASCII);

  private final PrinterLinkConfig config;

  /**
   * Set when a write did not finish: the next one first cancels what the printer holds of it. On
   * the link's thread only.
   */
  private boolean cancelPartialFormat;

  public PrinterLink(PrinterLinkConfig config) {
    super("printer", config.id(), "printer-link-" + config.id(), config.reopenBackoff(), LOG);
    this.config = config;
  }

  /**
   * Asks the printer for its {@code ~HS} status: drops stale input, sends {@code ~HS} and reads the
   * three framed lines within the status timeout. A printer with a fault is {@link
   * ConnectorStatus.State#DOWN} in {@link #status()}, with the fault as detail.
   *
   * @throws PrinterUnavailableException no port, lost port, no answer in time (a Zebra is silent in
   *     paper out, ribbon out and head open) or an answer that is not a status
   */
  public PrinterStatus queryStatus() throws PrinterUnavailableException {
    return outcome(submit(this::statusOnThread));
  }

  /**
   * Writes {@code zpl} to the printer, all of it (serial flow control may slow it down, up to the
   * write timeout). It says nothing about printing: ask {@link #queryStatus()} for that.
   */
  public void send(byte[] zpl) throws PrinterUnavailableException {
    byte[] copy = zpl.clone();
    outcome(
        submit(
            () -> {
              sendOnThread(copy);
              return null;
            }));
  }

  @Override
  protected Wire open(int connection) throws IOException {
    return Wires.open(
        config.port(), config.serial(), config.statusTimeout(), config.writeTimeout());
  }

  @Override
  protected String describe(Wire wire) {
    return "open on " + config.port();
  }

  @Override
  protected void disconnect(Wire wire) {
    wire.close();
  }

  @Override
  protected void opened(Wire wire, int connection, boolean again) {
    if (again) {
      LOG.info("Printer {} reconnected on {}", config.id(), config.port());
    }
  }

  private PrinterStatus statusOnThread() throws PrinterUnavailableException {
    Wire open = openWire();
    String answer;
    try {
      open.discardInput();
      open.write(HOST_STATUS.clone());
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

  private void sendOnThread(byte[] zpl) throws PrinterUnavailableException {
    Wire open = openWire();
    try {
      if (cancelPartialFormat) {
        // A label cut short by a stall or a lost connection may sit half-received in the
        // printer; ~JX drops it, so that it cannot merge with the next one.
        open.write(CANCEL_PARTIAL_FORMAT.clone());
        cancelPartialFormat = false;
      }
      open.write(zpl);
    } catch (Wire.StalledException e) {
      cancelPartialFormat = true;
      throw problem(Reason.STALLED, e.getMessage(), e);
    } catch (IOException e) {
      cancelPartialFormat = true;
      throw lost(e);
    }
  }

  private Wire openWire() throws PrinterUnavailableException {
    Wire open = session();
    if (open == null) {
      throw new PrinterUnavailableException(Reason.NOT_CONNECTED, name() + ": " + notOpen());
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
    Duration delay = reopen("disconnected: " + e.getMessage());
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

  /** What a call on the link's thread came to, thrown here on the caller's thread. */
  private <T> T outcome(CompletableFuture<T> call) throws PrinterUnavailableException {
    try {
      return call.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PrinterUnavailableException(Reason.NOT_CONNECTED, name() + ": interrupted");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof PrinterUnavailableException unavailable) {
        throw unavailable;
      }
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (cause instanceof Error error) {
        throw error;
      }
      throw new IllegalStateException(cause);
    }
  }

  private String name() {
    return kind() + ":" + id();
  }
}
