package dev.linegate.connectors.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.linegate.connectors.Backoff;
import dev.linegate.connectors.ConnectorStatus.State;
import dev.linegate.connectors.Secret;
import dev.linegate.connectors.batch.BatchSignal;
import dev.linegate.simulator.FreePort;
import dev.linegate.simulator.mqtt.EmbeddedBroker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** MqttBatchSource against a real broker (Moquette, in this process) and a Paho publisher. */
class MqttBatchSourceIT {

  private static final String TOPIC = "plant/L1/batch-complete";
  private static final Backoff FAST = new Backoff(Duration.ofMillis(100), Duration.ofMillis(300));

  private EmbeddedBroker broker;
  private MqttBatchSource source;
  private final BlockingQueue<BatchSignal> signals = new LinkedBlockingQueue<>();

  @AfterEach
  void stop() {
    if (source != null) {
      source.close();
    }
    if (broker != null) {
      broker.close();
    }
  }

  /**
   * The PUBACK waits for the commit: a signal the gateway did not confirm is delivered again to the
   * next session, one it confirmed is not.
   */
  @Test
  void onlyACommittedSignalIsAcknowledgedToTheBroker() throws Exception {
    broker = EmbeddedBroker.start("127.0.0.1", 0);
    source = start(broker.url());
    publish("{\"batch\":\"B-1\"}");
    BatchSignal uncommitted = signals.poll(10, TimeUnit.SECONDS);
    assertThat(uncommitted).isNotNull();
    assertThat(new String(uncommitted.payload(), StandardCharsets.UTF_8)).contains("B-1");

    source.close();
    source = start(broker.url());
    BatchSignal again = signals.poll(10, TimeUnit.SECONDS);
    assertThat(again).isNotNull();
    assertThat(new String(again.payload(), StandardCharsets.UTF_8)).contains("B-1");
    again.acknowledgment().committed(Optional.of("LOT-1"));
    publish("{\"batch\":\"B-2\"}");
    BatchSignal second = signals.poll(10, TimeUnit.SECONDS);
    assertThat(new String(second.payload(), StandardCharsets.UTF_8)).contains("B-2");
    second.acknowledgment().committed(Optional.of("LOT-2"));
    // Both PUBACKs are sent before the source goes: close() lets queued work finish.
    source.close();

    source = start(broker.url());
    await().until(() -> source.status().up());
    publish("{\"batch\":\"B-3\"}");
    BatchSignal next = signals.poll(10, TimeUnit.SECONDS);
    assertThat(new String(next.payload(), StandardCharsets.UTF_8)).contains("B-3");
  }

  /**
   * A broker that is not there at start: DOWN naming it and the next attempt, never the password,
   * then UP.
   */
  @Test
  void aBrokerMissingAtStartIsTriedWithBackoffUntilItIsThere() throws Exception {
    int port = FreePort.pick();
    source = start("tcp://127.0.0.1:" + port, "linegate", new Secret("s3cret-pw-77"));

    await().until(() -> source.status().state() == State.DOWN);
    assertThat(source.status().detail())
        .contains("127.0.0.1:" + port)
        .contains("retrying in")
        .doesNotContain("s3cret-pw-77");
    assertThat(source.status().name()).isEqualTo("mqtt:L1");

    broker = EmbeddedBroker.start("127.0.0.1", port);
    await().atMost(Duration.ofSeconds(10)).until(() -> source.status().up());
    assertThat(source.status().detail())
        .isEqualTo("subscribed to " + TOPIC + " on " + broker.url());
    assertThat(source.openAttempts()).isGreaterThan(1);
  }

  private MqttBatchSource start(String url) {
    return start(url, "", new Secret(""));
  }

  private MqttBatchSource start(String url, String username, Secret password) {
    MqttBatchSource started =
        new MqttBatchSource(
            new MqttSourceConfig(
                "L1",
                url,
                MqttSourceConfig.Version.V3_1_1,
                TOPIC,
                "linegate-test-L1",
                username,
                password,
                Optional.empty(),
                FAST));
    started.start(signals::add);
    return started;
  }

  private void publish(String payload) throws Exception {
    await().until(() -> source.status().up());
    MqttClient publisher = new MqttClient(broker.url(), "publisher", new MemoryPersistence());
    try {
      publisher.connect(new MqttConnectOptions());
      publisher.publish(TOPIC, payload.getBytes(StandardCharsets.UTF_8), 1, false);
      publisher.disconnect();
    } finally {
      publisher.close();
    }
  }
}
