package dev.linegate.simulator;

import java.time.Instant;

/**
 * When a batch went to the gateway and when the PLC saw it taken. Over MQTT: published, then the
 * broker's PUBACK. Over OPC UA: Ready raised, then the gateway's Ack (the lot committed).
 *
 * @param sentNanos and {@code acknowledgedNanos}: {@link System#nanoTime()}, for durations
 * @param sentAt the wall-clock time, to compare with the gateway's commit times
 */
public record Signalled(long sentNanos, Instant sentAt, long acknowledgedNanos) {

  public double millisToAcknowledgment() {
    return (acknowledgedNanos - sentNanos) / 1e6;
  }
}
