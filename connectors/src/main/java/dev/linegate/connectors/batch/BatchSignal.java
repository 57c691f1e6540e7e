package dev.linegate.connectors.batch;

import java.time.Instant;

/**
 * A batch-complete signal as it came off the wire, before anyone has judged it. The payload is the
 * SPEC's batch JSON; the source holds the signal unacknowledged until {@link #acknowledgment()} is
 * told that the batch (or its reject) is committed.
 *
 * <p>{@code size} is the size of the message on the wire. A source passes on at most what it
 * accepts: a larger message comes {@linkplain #cut() cut} to its first bytes, to be recorded as a
 * reject with its size, never to be parsed.
 */
public record BatchSignal(
    String line,
    String origin,
    byte[] payload,
    long size,
    Instant receivedAt,
    BatchAcknowledgment acknowledgment) {

  public BatchSignal {
    payload = payload.clone();
    if (size < payload.length) {
      throw new IllegalArgumentException(
          "a message of " + size + " bytes cannot have a payload of " + payload.length);
    }
  }

  /** A whole message. */
  public BatchSignal(
      String line,
      String origin,
      byte[] payload,
      Instant receivedAt,
      BatchAcknowledgment acknowledgment) {
    this(line, origin, payload, payload.length, receivedAt, acknowledgment);
  }

  /** Whether the payload is only the start of a message larger than its source accepts. */
  public boolean cut() {
    return size > payload.length;
  }

  @Override
  public byte[] payload() {
    return payload.clone();
  }
}
