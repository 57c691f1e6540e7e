package dev.linegate.connectors.mqtt;

import dev.linegate.connectors.tls.TlsException;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/** MQTT 3.1.1 through Paho's v3 client. */
final class Mqtt3Session implements MqttSession {

  private final MqttSourceConfig config;

  /** Sizes of the messages cut as they were read, oldest first; this session's connection only. */
  private final Queue<Long> cutSizes = new ConcurrentLinkedQueue<>();

  private MqttAsyncClient client;

  Mqtt3Session(MqttSourceConfig config) {
    this.config = config;
  }

  @Override
  public void open(Listener listener) throws MqttException, TlsException {
    // The broker keeps unacknowledged messages for us; nothing of ours needs to outlive the JVM.
    client = new MqttAsyncClient(config.broker(), config.clientId(), new MemoryPersistence());
    client.setManualAcks(true);
    client.setCallback(
        new MqttCallback() {
          @Override
          public void connectionLost(Throwable cause) {
            listener.lost(cause);
          }

          @Override
          public void messageArrived(String topic, MqttMessage message) {
            byte[] payload = message.getPayload();
            // Paho hands on messages in the order it read them, so the oldest size is this one's.
            Long cut = payload.length > MqttBatchSource.MAX_MESSAGE_BYTES ? cutSizes.poll() : null;
            listener.delivered(
                new Delivery(
                    topic,
                    message.getId(),
                    message.getQos(),
                    payload,
                    cut == null ? payload.length : cut));
          }

          @Override
          public void deliveryComplete(IMqttDeliveryToken token) {}
        });
    MqttConnectOptions options = new MqttConnectOptions();
    options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
    options.setCleanSession(false);
    options.setAutomaticReconnect(false);
    options.setKeepAliveInterval(10);
    options.setConnectionTimeout(10);
    if (config.encrypted()) {
      options.setSocketFactory(config.socketFactory());
      options.setHttpsHostnameVerificationEnabled(true);
    } else {
      options.setSocketFactory(
          new PublishCutter.Factory(MqttBatchSource.MAX_MESSAGE_BYTES, cutSizes));
    }
    if (!config.username().isEmpty()) {
      options.setUserName(config.username());
      options.setPassword(config.password().value().toCharArray());
    }
    client.connect(options).waitForCompletion();
    client.subscribe(config.topic(), 1).waitForCompletion();
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
