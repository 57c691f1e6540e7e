package dev.linegate.connectors.mqtt;

import java.util.function.Consumer;

/**
 * One connection to a broker, whatever the protocol version: the two Paho clients have twin APIs
 * that share no interface, and the reconnecting logic should exist once.
 */
interface MqttSession extends AutoCloseable {

  /** A QoS 1 message held unacknowledged until {@link MqttSession#acknowledge} is called. */
  record Delivery(int messageId, int qos, byte[] payload) {}

  interface Listener {
    void delivered(Delivery delivery);

    void lost(Throwable cause);
  }

  /** Connects with a persistent session and subscribes; blocks until both are done or fail. */
  void open(Listener listener) throws Exception;

  /** Sends the PUBACK. */
  void acknowledge(Delivery delivery) throws Exception;

  @Override
  void close();
}
