package dev.linegate.connectors.printer;

/** The printer could not be reached, or did not answer; the message says why for an operator. */
public final class PrinterUnavailableException extends Exception {

  public enum Reason {
    /** The port would not open, or the link waits out its backoff before opening it again. */
    NOT_CONNECTED,
    /** The port or connection went away during this call (cable pulled, printer switched off). */
    LOST,
    /** No {@code ~HS} answer in time: paper out, ribbon out, head open or powered off. */
    NO_ANSWER,
    /** An answer came, but it was not a {@code ~HS} status. */
    GARBLED,
    /** Flow control held a write for longer than the write timeout; part may have been sent. */
    STALLED
  }

  private final Reason reason;

  public PrinterUnavailableException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public PrinterUnavailableException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
