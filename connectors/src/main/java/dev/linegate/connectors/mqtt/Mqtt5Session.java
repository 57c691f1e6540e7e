package dev.linegate.connectors.mqtt;

import dev.linegate.connectors.tls.TlsException;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/** MQTT 5 through Paho's v5 client. */
final class Mqtt5Session implements MqttSession {

  /** The session outlives any outage: MQTT 5's "never expires". */
  private static final long SESSION_NEVER_EXPIRES = 0xFFFFFFFFL;

  /**
   * CONNECT's Maximum Packet Size: a compliant broker drops a larger message for this client
   * instead of sending it (MQTT 5 section 3.1.2.11.4; mosquitto logs "Dropping too large outgoing
   * PUBLISH"). Far above {@link MqttBatchSource#MAX_MESSAGE_BYTES}, so that a merely oversized
   * message still arrives and is recorded as a reject; low enough that what Paho reads whole
   * (twice: the packet and the payload) stays small beside a 128 MB heap.
   */
  static final long MAX_PACKET_BYTES = 16L * 1024 * 1024;

  private final MqttSourceConfig config;
  private MqttAsyncClient client;

  Mqtt5Session(MqttSourceConfig config) {
    this.config = config;
  }

  @Override
  public void open(Listener listener) throws MqttException, TlsException {
    client = new MqttAsyncClient(config.broker(), config.clientId(), new MemoryPersistence());
    client.setManualAcks(true);
    client.setCallback(
        new MqttCallback() {
          @Override
          public void disconnected(MqttDisconnectResponse response) {
            listener.lost(
                response.getException() != null
                    ? response.getException()
                    : new IllegalStateException(response.getReasonString()));
          }

          @Override
          public void mqttErrorOccurred(MqttException exception) {
            listener.lost(exception);
          }

          @Override
          public void messageArrived(String topic, MqttMessage message) {
            listener.delivered(
                new Delivery(
                    topic,
                    message.getId(),
                    message.getQos(),
                    message.getPayload(),
                    message.getPayload().length));
          }

          @Override
          public void deliveryComplete(IMqttToken token) {}

          @Override
          public void connectComplete(boolean reconnect, String serverUri) {}

          @Override
          public void authPacketArrived(int reasonCode, MqttProperties properties) {}
        });
    MqttConnectionOptions options = new MqttConnectionOptions();
    options.setCleanStart(false);
    options.setSessionExpiryInterval(SESSION_NEVER_EXPIRES);
    options.setAutomaticReconnect(false);
    options.setMaximumPacketSize(MAX_PACKET_BYTES);
    options.setKeepAliveInterval(10);
    options.setConnectionTimeout(10);
    if (config.encrypted()) {
      options.setSocketFactory(config.socketFactory());
      options.setHttpsHostnameVerificationEnabled(true);
    }
    if (!config.username().isEmpty()) {
      options.setUserName(config.username());
      options.setPassword(
          config.password().value().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
    client.connect(options).waitForCompletion();
    client.subscribe(new MqttSubscription(config.topic(), 1)).waitForCompletion();
  }

  @Override
  public void acknowledge(Delivery delivery) throws MqttException {
    client.messageArrivedComplete(delivery.messageId(), delivery.qos());
  }

  @Override
  public void unsubscribe(String topic) throws MqttException {
    client.unsubscribe(topic).waitForCompletion(UNSUBSCRIBE_TIMEOUT_MS);
  }

  @Override
  public void close() {
    if (client != null) {
      MqttSession.closeQuietly(
          client::isConnected,
          () -> client.disconnect().waitForCompletion(2_000),
          () -> client.close(true));
    }
  }
}
