package dev.linegate.simulator;

import dev.linegate.simulator.mqtt.BatchMessage;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * A simulated PLC that signals completed batches: over MQTT ({@code MqttPlc}) or through the OPC UA
 * Ready/Ack handshake ({@code OpcUaPublisher}). What the generators and the load run drive.
 */
public interface BatchPublisher {

  /** A batch id unique to this run. */
  String nextBatchId(String line);

  /** Where a line's batches go, for logs: a topic, or an endpoint and a line. */
  String destination(String line);

  /**
   * Signals the batch. May block while too many batches are on their way (back pressure); do not
   * call it from a completion callback.
   */
  CompletableFuture<Signalled> signal(BatchMessage batch);

  /**
   * Signals a payload the gateway must reject. Only where the wire carries payloads as such (MQTT);
   * an OPC UA PLC holds typed values instead.
   */
  default CompletableFuture<Signalled> signalMalformed(String line, String payload) {
    throw new UnsupportedOperationException(
        getClass().getSimpleName() + " cannot send a malformed payload");
  }

  /** Waits until every signal so far is acknowledged (or failed); false on timeout. */
  boolean awaitAcks(Duration timeout) throws InterruptedException;
}
