package dev.linegate.connectors.batch;

import java.time.Instant;

/**
 * A batch-complete signal as it came off the wire, before anyone has judged it. The payload is the
 * SPEC's batch JSON; the source holds the signal unacknowledged until {@link #acknowledgment()} is
 * told that the batch (or its reject) is committed.
 */
public record BatchSignal(String line, String origin, byte[] payload, Instant receivedAt, BatchAcknowledgment acknowledgment) {

  public BatchSignal {
    payload = payload.clone();
  }

  @Override
  public byte[] payload() {
    return payload.clone();
  }
}
