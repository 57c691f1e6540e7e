package dev.linegate.connectors.opcua;

import java.time.Instant;
import java.util.Optional;

/**
 * Where a line's handshake stands, for /health and the operator UI.
 *
 * @param batchId the batch being processed or waited on, as the PLC named it
 * @param lastError the latest problem on this line (kept after it cleared, with {@code since})
 */
public record OpcUaLineState(
    Phase phase, Optional<String> batchId, Optional<String> lastError, Instant since) {

  public enum Phase {
    /** No session yet, or the line's subscription is being set up. */
    CONNECTING,
    /** Subscribed; Ready is false (or not yet seen true). */
    IDLE,
    /** A batch was handed to the gateway; its commit is awaited before Lot and Ack are written. */
    PROCESSING,
    /** Ack is written; the PLC has yet to drop Ready. */
    WAITING_FOR_READY_DROP,
    /** Something failed; the handshake is read again after a backoff. */
    RETRY_WAIT
  }

  public String describe() {
    String text =
        switch (phase) {
          case CONNECTING -> "connecting";
          case IDLE -> "idle";
          case PROCESSING -> "processing batch " + batchId.orElse("?");
          case WAITING_FOR_READY_DROP ->
              "waiting for ready to drop" + batchId.map(id -> " (batch " + id + ")").orElse("");
          case RETRY_WAIT -> "retrying soon";
        };
    return lastError.map(e -> text + "; last error: " + e).orElse(text);
  }
}
