package dev.linegate.connectors.batch;

import dev.linegate.connectors.Connector;
import java.util.function.Consumer;

/**
 * A line's source of batch-complete signals (MQTT topic, OPC UA handshake): a {@link Connector}
 * whose id is the line.
 */
public interface BatchSource extends Connector {

  String line();

  /**
   * Connects, and keeps reconnecting, delivering each signal to {@code sink} in arrival order. A
   * signal's acknowledgment may be called from any thread; it runs on the source's own.
   */
  void start(Consumer<BatchSignal> sink);
}
