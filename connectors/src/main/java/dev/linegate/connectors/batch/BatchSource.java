package dev.linegate.connectors.batch;

import dev.linegate.connectors.ConnectorStatus;
import java.util.function.Consumer;

/** A line's source of batch-complete signals (MQTT topic, OPC UA handshake). */
public interface BatchSource extends AutoCloseable {

  String line();

  /** Connects, and keeps reconnecting, delivering each signal to {@code sink} in arrival order. */
  void start(Consumer<BatchSignal> sink);

  ConnectorStatus status();

  /** Disconnects; signals not yet acknowledged are redelivered by the other side later. */
  @Override
  void close();
}
