package dev.linegate.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.linegate.simulator.mqtt.BatchMessage;
import dev.linegate.simulator.mqtt.MqttPlc;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A line's topic changed in the configuration while the broker kept its persistent session: the
 * session still holds the old subscription, and the broker delivers what was published there. That
 * is not the line's batch.
 */
class MqttTopicChangeIT {

  private static final Duration PATIENCE = Duration.ofSeconds(30);
  private static final String OLD_TOPIC = "plant/L1/batch-complete";
  private static final String NEW_TOPIC = "plant/L1/batches";

  @TempDir Path dir;

  @Test
  void aMessageOnTheOldTopicOfAPersistentSessionIsNotTakenAsTheLinesBatch() throws Exception {
    try (MosquittoRig rig = MosquittoRig.start(dir);
        MqttPlc newPlc = MqttPlc.connect(rig.broker().url(), "plant/{line}/batches")) {
      MqttPlc oldPlc = rig.plc();
      GatewayApi api = rig.api();
      Path config = rig.config();
      try (GatewayProcess first = GatewayProcess.start(config, dir.resolve("first.log"))) {
        api.awaitUp(PATIENCE);
      }
      Files.writeString(config, Files.readString(config).replace(OLD_TOPIC, NEW_TOPIC));
      // Kept by the broker for the session, which is still subscribed to the old topic.
      BatchMessage stray =
          oldPlc
              .publish("L1", oldPlc.nextBatchId("L1"), TestConfig.WIDGET, 2)
              .get(10, TimeUnit.SECONDS);

      Path secondLog = dir.resolve("second.log");
      try (GatewayProcess second = GatewayProcess.start(config, secondLog)) {
        BatchMessage batch = publishAndAwaitLot(api, newPlc);
        assertThat(api.lotOfBatch("L1", stray.batchId()))
            .as("the old topic's message is not L1's batch")
            .isEmpty();
        assertThat(second.output()).contains("Line L1: a message came on " + OLD_TOPIC);
        assertThat(api.count("/api/lots")).isEqualTo(1);
        assertThat(batch.batchId()).isNotEqualTo(stray.batchId());
      }

      // Acknowledged, so not delivered again; unsubscribed, so the broker keeps nothing more for
      // it.
      BatchMessage later =
          oldPlc
              .publish("L1", oldPlc.nextBatchId("L1"), TestConfig.WIDGET, 2)
              .get(10, TimeUnit.SECONDS);
      try (GatewayProcess third = GatewayProcess.start(config, dir.resolve("third.log"))) {
        publishAndAwaitLot(api, newPlc);
        assertThat(api.lotOfBatch("L1", stray.batchId())).isEmpty();
        assertThat(api.lotOfBatch("L1", later.batchId())).isEmpty();
        assertThat(third.output()).doesNotContain(OLD_TOPIC);
      }
    }
  }

  private static BatchMessage publishAndAwaitLot(GatewayApi api, MqttPlc plc) throws Exception {
    api.awaitUp(PATIENCE);
    BatchMessage batch =
        plc.publish("L1", plc.nextBatchId("L1"), TestConfig.WIDGET, 3).get(10, TimeUnit.SECONDS);
    await().atMost(PATIENCE).until(() -> api.lotOfBatch("L1", batch.batchId()).isPresent());
    return batch;
  }
}
