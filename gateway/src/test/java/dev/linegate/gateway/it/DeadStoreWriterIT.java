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
 * The store writer is the one thread that commits: when it dies (here an OutOfMemoryError, a batch
 * of a million units on a heap too small for its event), a gateway that stays up with /health UP
 * and nothing committed is the worst outcome. It must exit with 1, so that the service manager
 * restarts it, and acknowledge nothing it did not commit.
 */
class DeadStoreWriterIT {

  @TempDir Path dir;

  @Test
  void aStoreWriterThatDiesEndsTheProcessWithExitOneAndTheBatchIsDeliveredAgain() throws Exception {
    try (MosquittoRig rig = MosquittoRig.start(dir)) {
      MqttPlc plc = rig.plc();
      GatewayApi api = rig.api();
      Path config = rig.config();
      Path log = Path.of("target/dead-store-writer-gateway.log");
      Files.deleteIfExists(log);
      BatchMessage batch;
      // A heap the idle gateway starts in (it holds about 15 MB after a full GC, so 16m became too
      // tight with the outputs), but the writer's insert of a million serials runs out of it: at
      // -Xmx32m the same batch commits (and at -Xmx128m, MillionUnitLotIT).
      try (GatewayProcess small = GatewayProcess.start("20m", config, log)) {
        api.awaitUp(Duration.ofSeconds(60));
        batch =
            plc.publish("L1", plc.nextBatchId("L1"), TestConfig.WIDGET, 1_000_000)
                .get(10, TimeUnit.SECONDS);

        assertThat(small.waitForExit()).as("exit code").isEqualTo(1);
        assertThat(small.output()).contains("store-writer").contains("OutOfMemoryError");
      }
      try (GatewayProcess restarted = GatewayProcess.start("512m", config, log)) {
        await()
            .atMost(Duration.ofSeconds(120))
            .until(() -> api.reachable() && api.lotOfBatch("L1", batch.batchId()).isPresent());
      }
    }
  }
}
