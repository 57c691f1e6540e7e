package dev.linegate.connectors.mqtt;

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
  private MqttAsyncClient client;

  Mqtt3Session(MqttSourceConfig config) {
    this.config = config;
  }

  @Override
  public void open(Listener listener) throws MqttException {
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
            listener.delivered(new Delivery(topic, message.getId(), message.getQos(), message.getPayload()));
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
      MqttSession.closeQuietly(client::isConnected, () -> client.disconnect().waitForCompletion(2_000), () -> client.close(true));
    }
  }
}
