package dev.linegate.connectors.mqtt;

/**
 * One connection to a broker, whatever the protocol version: the two Paho clients have twin APIs
 * that share no interface, and the reconnecting logic should exist once.
 */
interface MqttSession extends AutoCloseable {

  long UNSUBSCRIBE_TIMEOUT_MS = 10_000;

  /**
   * A QoS 1 message held unacknowledged until {@link MqttSession#acknowledge} is called. {@code
   * size} is the payload's size on the wire: more than {@code payload.length} when the session cut
   * it as it was read.
   */
  record Delivery(String topic, int messageId, int qos, byte[] payload, long size) {}

  interface Listener {
    void delivered(Delivery delivery);

    void lost(Throwable cause);
  }

  /** Connects with a persistent session and subscribes; blocks until both are done or fail. */
  void open(Listener listener) throws Exception;

  /** Sends the PUBACK. */
  void acknowledge(Delivery delivery) throws Exception;

  /** Drops a subscription the broker's session holds; blocks until the broker confirms. */
  void unsubscribe(String topic) throws Exception;

  @Override
  void close();

  /** A step of closing a Paho client; both clients throw their own MqttException. */
  interface Step {
    void run() throws Exception;
  }

  /** Disconnects if connected, then releases the client, whatever fails on the way. */
  static void closeQuietly(
      java.util.function.BooleanSupplier connected, Step disconnect, Step release) {
    try {
      if (connected.getAsBoolean()) {
        disconnect.run();
      }
    } catch (Exception e) {
      // Closing anyway; the broker keeps the session.
    } finally {
      try {
        release.run();
      } catch (Exception ignored) {
        // Nothing left to release.
      }
    }
  }
}
