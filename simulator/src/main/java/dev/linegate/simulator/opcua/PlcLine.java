package dev.linegate.simulator.opcua;

import dev.linegate.simulator.Signalled;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PLC program of one line: the PLC side of the Ready/Ack handshake (SPEC section 3). Its values
 * live here, not in the server, so they survive a restart of the server. Not thread-safe: {@link
 * OpcUaPlc} calls it from one thread.
 */
final class PlcLine {

  private static final Logger LOG = LoggerFactory.getLogger(PlcLine.class);

  enum Phase {
    /** Ready is false; the next batch is raised as soon as Ack is false too. */
    IDLE,
    /** Ready is held until the gateway writes Ack = true. */
    RAISED,
    /** Ready dropped; waiting for the gateway to drop Ack before the next batch. */
    WAITING_FOR_ACK_DROP
  }

  /** A batch to raise, with the values as the PLC writes them. */
  record Raise(
      String label,
      DataValue id,
      DataValue product,
      DataValue quantity,
      CompletableFuture<Acknowledged> acknowledged) {}

  /** The lot the gateway wrote, and when Ready rose and Ack was seen. */
  record Acknowledged(String lot, Signalled timing) {}

  /** Writes a value into the address space, when the server runs. */
  interface Output {
    void set(String line, BatchField field, DataValue value);
  }

  private final String line;
  private final Output output;
  private final Map<BatchField, DataValue> values = new EnumMap<>(BatchField.class);
  private final Queue<Raise> queue = new ArrayDeque<>();
  private Phase phase = Phase.IDLE;
  private @Nullable Raise current;
  private long raisedNanos;
  private Instant raisedAt = Instant.EPOCH;
  private final List<CompletableFuture<Void>> idleWaiters = new ArrayList<>();

  PlcLine(String line, QuantityType quantityType, Output output) {
    this.line = line;
    this.output = output;
    for (BatchField field : BatchField.values()) {
      values.put(field, new DataValue(field.initial()));
    }
    values.put(BatchField.QUANTITY, new DataValue(quantityType.encode(0)));
  }

  Map<BatchField, DataValue> values() {
    return new EnumMap<>(values);
  }

  void raise(Raise raise) {
    queue.add(raise);
    advance();
  }

  /** A client (the gateway) wrote {@code field}. */
  void written(BatchField field, DataValue value) {
    values.put(field, value);
    if (field != BatchField.ACK) {
      return;
    }
    boolean ack = bool(value);
    if (phase == Phase.RAISED && ack && current != null) {
      String lot = text(values.get(BatchField.LOT));
      set(BatchField.READY, new DataValue(new Variant(false)));
      phase = Phase.WAITING_FOR_ACK_DROP;
      LOG.info(
          "{}: batch {} acknowledged, lot {}",
          line,
          current.label(),
          lot.isEmpty() ? "(none)" : lot);
      Raise done = current;
      current = null;
      done.acknowledged()
          .complete(new Acknowledged(lot, new Signalled(raisedNanos, raisedAt, System.nanoTime())));
    } else if (phase == Phase.WAITING_FOR_ACK_DROP && !ack) {
      phase = Phase.IDLE;
      advance();
      if (phase == Phase.IDLE) {
        idleWaiters.forEach(w -> w.complete(null));
        idleWaiters.clear();
      }
    }
  }

  /** Completes when the line has no batch raised or queued and Ack is down. */
  CompletableFuture<Void> whenIdle() {
    var idle = new CompletableFuture<Void>();
    if (phase == Phase.IDLE && queue.isEmpty() && !bool(values.get(BatchField.ACK))) {
      idle.complete(null);
    } else {
      idleWaiters.add(idle);
    }
    return idle;
  }

  OpcUaPlc.LineState state() {
    return new OpcUaPlc.LineState(
        line,
        bool(values.get(BatchField.READY)),
        bool(values.get(BatchField.ACK)),
        text(values.get(BatchField.ID)),
        text(values.get(BatchField.LOT)),
        phase.name(),
        queue.size());
  }

  /** The PLC is switched off for good: nobody will acknowledge what is waiting. */
  void abandon() {
    var error = new IllegalStateException("the PLC was closed");
    if (current != null) {
      current.acknowledged().completeExceptionally(error);
    }
    queue.forEach(r -> r.acknowledged().completeExceptionally(error));
    queue.clear();
    idleWaiters.forEach(w -> w.completeExceptionally(error));
    idleWaiters.clear();
  }

  private void advance() {
    if (phase != Phase.IDLE || bool(values.get(BatchField.ACK)) || queue.isEmpty()) {
      return;
    }
    Raise next = queue.remove();
    current = next;
    // Step 1 of the handshake: the data first, then Ready, held until Ack.
    set(BatchField.LOT, new DataValue(new Variant("")));
    set(BatchField.ID, next.id());
    set(BatchField.PRODUCT, next.product());
    set(BatchField.QUANTITY, next.quantity());
    set(BatchField.READY, new DataValue(new Variant(true)));
    raisedNanos = System.nanoTime();
    raisedAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
    phase = Phase.RAISED;
    LOG.info("{}: raised batch {}", line, next.label());
  }

  private void set(BatchField field, DataValue value) {
    values.put(field, value);
    output.set(line, field, value);
  }

  private static boolean bool(@Nullable DataValue value) {
    return value != null && Boolean.TRUE.equals(value.value().value());
  }

  private static String text(@Nullable DataValue value) {
    Object v = value == null ? null : value.value().value();
    return v == null ? "" : v.toString();
  }
}
