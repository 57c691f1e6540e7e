package dev.linegate.connectors.opcua;

import dev.linegate.connectors.batch.BatchAcknowledgment;
import dev.linegate.connectors.batch.BatchSignal;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's side of a line's Ready/Ack handshake (SPEC section 3). Its state is read, not
 * remembered: Ready and Ack are read after every change of Ready and whenever a change may have
 * been missed, and the step they call for is done. A batch handed to the gateway is acknowledged to
 * the PLC (Lot, then Ack) only once it is committed. Runs on the line's thread.
 *
 * <p>Somewhat long because every step of the handshake and what to do when it fails are here, in
 * the order of SPEC section 3.
 */
final class Handshake {

  private static final Logger log = LoggerFactory.getLogger(Handshake.class);

  /** A batch handed to the gateway and not yet acknowledged to the PLC. */
  private static final class Delivery {
    final DataValue batchId;
    final String label;
    Optional<Optional<String>> answer = Optional.empty();

    Delivery(DataValue batchId, String label) {
      this.batchId = batchId;
      this.label = label;
    }
  }

  private final OpcUaSourceConfig config;
  private final LineThread thread;
  private final LineStatus status;
  private final Supplier<@Nullable LineConnection> connection;
  private final String origin;
  private @Nullable Consumer<BatchSignal> sink;
  private @Nullable Delivery delivered;
  private @Nullable ScheduledFuture<?> retry;
  private @Nullable ScheduledFuture<?> poll;
  private volatile boolean closed;

  Handshake(
      OpcUaSourceConfig config,
      LineThread thread,
      LineStatus status,
      Supplier<@Nullable LineConnection> connection) {
    this.config = config;
    this.thread = thread;
    this.status = status;
    this.connection = connection;
    this.origin = "opcua " + config.endpoint() + " " + config.line();
  }

  void start(Consumer<BatchSignal> sink) {
    this.sink = sink;
  }

  // ---- what the session says

  void setUp(LineConnection conn) {
    Delivery out = delivered;
    if (out == null) {
      status.phase(OpcUaLineState.Phase.IDLE, Optional.empty());
      resync("connected");
    } else if (out.answer.isPresent()) {
      finishAcknowledgment(conn, out);
    } else {
      // The gateway has the batch; its answer is written when it comes, on this session.
      status.phase(OpcUaLineState.Phase.PROCESSING, Optional.of(out.label));
    }
  }

  void disconnected() {
    if (delivered == null) {
      status.phase(OpcUaLineState.Phase.CONNECTING, Optional.empty());
    }
  }

  /** Reads Ready and Ack and does the step they call for. */
  void resync(String why) {
    LineConnection conn = connection.get();
    if (conn == null || conn.subscription == null || delivered != null || retry != null || closed) {
      return;
    }
    LineNodes nodes = conn.nodes();
    log.debug("Line {}: reading the handshake ({})", config.line(), why);
    try {
      List<DataValue> values = conn.read(nodes.ready(), nodes.ack());
      Optional<Boolean> ready = bool(values.get(0));
      Optional<Boolean> ack = bool(values.get(1));
      if (ready.isEmpty() || ack.isEmpty()) {
        status.problem(
            ready.isEmpty()
                ? "ready "
                    + config.nodes().ready()
                    + " is not a good Boolean: "
                    + show(values.get(0))
                : "ack " + config.nodes().ack() + " is not a good Boolean: " + show(values.get(1)));
        status.phase(OpcUaLineState.Phase.IDLE, Optional.empty());
      } else if (ready.get() && !ack.get()) {
        deliver(conn, nodes);
      } else if (ready.get()) {
        status.phase(OpcUaLineState.Phase.WAITING_FOR_READY_DROP, status.state().batchId());
        // A drop and a new rise between two samples would never be reported: look again.
        pollSoon("waiting for ready to drop");
      } else if (ack.get()) {
        conn.write(nodes.ack(), new Variant(false), "ack");
        status.phase(OpcUaLineState.Phase.IDLE, Optional.empty());
        resync("ack dropped");
      } else {
        status.phase(OpcUaLineState.Phase.IDLE, Optional.empty());
        if (conn.subscription.lastReportedReady()) {
          // The subscription last said true: the next rise may come without a notification.
          pollSoon("ready not yet seen low by the subscription");
        }
      }
    } catch (UaException e) {
      status.problem("reading or writing the handshake failed: " + OpcUaErrors.describe(e));
      scheduleRetry();
    }
  }

  /** From any thread: from now on nothing is read or written. */
  void close() {
    closed = true;
  }

  // ---- the steps

  /**
   * The server samples Ready: a value that goes and comes back between two samples is never
   * reported. Where the next step depends on such a change, the handshake is read again after a
   * publishing interval, one pending read at a time.
   */
  private void pollSoon(String why) {
    if (poll == null) {
      poll =
          thread.schedule(
              () -> {
                // Cleared first: the read below may need to look again, and a running task is not
                // done.
                poll = null;
                resync(why);
              },
              config.publishingInterval().toMillis());
    }
  }

  /** Reads the batch in one call and hands it to the gateway, as it is, whatever it holds. */
  private void deliver(LineConnection conn, LineNodes nodes) throws UaException {
    List<DataValue> batch = conn.read(nodes.batchId(), nodes.product(), nodes.quantity());
    String label = show(batch.get(0));
    Delivery out = new Delivery(batch.get(0), label);
    delivered = out;
    status.phase(OpcUaLineState.Phase.PROCESSING, Optional.of(label));
    byte[] payload = BatchPayload.json(batch.get(0), batch.get(1), batch.get(2));
    log.info("Line {}: batch {} ready on the PLC", config.line(), label);
    try {
      Objects.requireNonNull(sink)
          .accept(
              new BatchSignal(config.line(), origin, payload, Instant.now(), acknowledgment(out)));
    } catch (RuntimeException e) {
      onFailed(out, e);
    }
  }

  private BatchAcknowledgment acknowledgment(Delivery out) {
    return new BatchAcknowledgment() {
      @Override
      public void committed(Optional<String> lot) {
        thread.run(() -> onCommitted(out, lot));
      }

      @Override
      public void failed(Throwable cause) {
        thread.run(() -> onFailed(out, cause));
      }
    };
  }

  private void onCommitted(Delivery out, Optional<String> lot) {
    if (delivered != out) {
      log.debug("Line {}: answer for batch {} no longer awaited", config.line(), out.label);
      return;
    }
    out.answer = Optional.of(lot);
    LineConnection conn = connection.get();
    if (conn == null || conn.subscription == null) {
      log.info(
          "Line {}: batch {} committed; Ack is written when the PLC is back",
          config.line(),
          out.label);
      return;
    }
    finishAcknowledgment(conn, out);
  }

  /** Writes Lot, then Ack: the PLC may read the lot as soon as it sees Ack. */
  private void finishAcknowledgment(LineConnection conn, Delivery out) {
    LineNodes nodes = conn.nodes();
    Optional<String> lot = out.answer.orElseThrow();
    try {
      if (!stillHeld(conn, nodes, out)) {
        log.warn(
            "Line {}: batch {} is no longer the one the PLC holds; not acknowledging it",
            config.line(),
            out.label);
        delivered = null;
        status.phase(OpcUaLineState.Phase.IDLE, Optional.empty());
        resync("batch changed");
        return;
      }
      if (nodes.lot().isPresent() && lot.isPresent()) {
        conn.write(nodes.lot().get(), new Variant(lot.get()), "lot");
      }
      conn.write(nodes.ack(), new Variant(true), "ack");
    } catch (UaException e) {
      // Not acknowledged: the batch is read and handed over again, and the gateway answers with the
      // same lot.
      delivered = null;
      status.problem("acknowledging batch " + out.label + " failed: " + OpcUaErrors.describe(e));
      scheduleRetry();
      return;
    }
    delivered = null;
    thread.succeeded();
    status.acknowledgedOne();
    log.info(
        "Line {}: batch {} acknowledged{}",
        config.line(),
        out.label,
        lot.map(l -> " with lot " + l).orElse(" (no lot)"));
    status.phase(OpcUaLineState.Phase.WAITING_FOR_READY_DROP, Optional.of(out.label));
    resync("acknowledged");
  }

  /**
   * Is the PLC still holding the batch that was handed over (and not reset, restarted, aborted)?
   */
  private boolean stillHeld(LineConnection conn, LineNodes nodes, Delivery out) throws UaException {
    List<DataValue> now = conn.read(nodes.ready(), nodes.ack(), nodes.batchId());
    return bool(now.get(0)).orElse(false)
        && !bool(now.get(1)).orElse(true)
        && Objects.equals(now.get(2).value(), out.batchId.value());
  }

  private void onFailed(Delivery out, Throwable cause) {
    if (delivered != out) {
      return;
    }
    delivered = null;
    status.problem("batch " + out.label + " was not stored (" + OpcUaErrors.describe(cause) + ")");
    scheduleRetry();
  }

  /**
   * A step threw what it did not foresee (a server's odd answer, a bug). Like any failure: the
   * batch in hand, if any, is let go, the line says why, and the handshake is read again after the
   * backoff; a batch handed over again is answered with the lot it already has.
   */
  void failed(Throwable cause) {
    delivered = null;
    status.problem(
        "unexpected failure: "
            + cause.getClass().getSimpleName()
            + ": "
            + OpcUaErrors.describe(cause));
    scheduleRetry();
  }

  /** Reads the handshake again after a backoff; until then changes of Ready are ignored. */
  private void scheduleRetry() {
    cancelRetry();
    long delay = thread.backoffMillis();
    status.phase(OpcUaLineState.Phase.RETRY_WAIT, status.state().batchId());
    retry =
        thread.schedule(
            () -> {
              retry = null;
              status.phase(
                  connection.get() == null
                      ? OpcUaLineState.Phase.CONNECTING
                      : OpcUaLineState.Phase.IDLE,
                  Optional.empty());
              resync("retry");
            },
            delay);
  }

  /** A retry planned on an old session or before closing is moot. */
  void cancelRetry() {
    if (retry != null) {
      retry.cancel(false);
      retry = null;
    }
  }

  private static Optional<Boolean> bool(DataValue value) {
    boolean good = value.statusCode() == null || value.statusCode().isGood();
    return good && value.value().value() instanceof Boolean b ? Optional.of(b) : Optional.empty();
  }

  /** For logs and /health: a PLC's value is quoted by its first 100 characters at most. */
  private static String show(DataValue value) {
    Object v = value.value().value();
    String text = v == null ? "(empty)" : v.toString().isEmpty() ? "(empty string)" : v.toString();
    if (text.length() > 100) {
      text = text.substring(0, 100) + "... (" + text.length() + " characters)";
    }
    StatusCode status = value.statusCode();
    return status == null || status.isGood() ? text : text + " [" + OpcUaErrors.name(status) + "]";
  }
}
