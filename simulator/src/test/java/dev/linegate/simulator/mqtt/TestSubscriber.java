package dev.linegate.simulator.mqtt;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.BiConsumer;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/** A gateway-like subscriber: a persistent session (cleanSession=false) at QoS 1. */
public final class TestSubscriber implements AutoCloseable {
  private static final long TIMEOUT_MS = 10_000;

  private final MqttAsyncClient client;
  private final MqttConnectOptions options = new MqttConnectOptions();
  private final Queue<String> payloads = new ConcurrentLinkedQueue<>();

  private TestSubscriber(String url, String clientId, BiConsumer<String, String> onMessage)
      throws MqttException {
    client = new MqttAsyncClient(url, clientId, new MemoryPersistence());
    options.setCleanSession(false);
    client.setCallback(
        new MqttCallback() {
          @Override
          public void messageArrived(String topic, MqttMessage message) {
            String payload = new String(message.getPayload(), UTF_8);
            payloads.add(payload);
            onMessage.accept(topic, payload);
          }

          @Override
          public void connectionLost(Throwable cause) {}

          @Override
          public void deliveryComplete(IMqttDeliveryToken token) {}
        });
  }

  public static TestSubscriber subscribe(String url, String clientId, String filter)
      throws MqttException {
    return subscribe(url, clientId, filter, (topic, payload) -> {});
  }

  public static TestSubscriber subscribe(
      String url, String clientId, String filter, BiConsumer<String, String> onMessage)
      throws MqttException {
    var subscriber = new TestSubscriber(url, clientId, onMessage);
    subscriber.reconnect();
    subscriber.client.subscribe(filter, 1).waitForCompletion(TIMEOUT_MS);
    return subscriber;
  }

  public List<String> payloads() {
    return List.copyOf(payloads);
  }

  public void disconnect() throws MqttException {
    client.disconnect().waitForCompletion(TIMEOUT_MS);
  }

  public void reconnect() throws MqttException {
    client.connect(options).waitForCompletion(TIMEOUT_MS);
  }

  @Override
  public void close() throws MqttException {
    if (client.isConnected()) {
      disconnect();
    }
    client.close();
  }
}
