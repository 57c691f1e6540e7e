package dev.linegate.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.linegate.gateway.store.Database;
import dev.linegate.simulator.mqtt.BatchGenerator;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A write that fails inside the store writer rolls back the group of writes it was committed with,
 * and the writer replays them one by one. The ERP deliveries recorded in that group must survive
 * the replay: whatever else fails beside them, every lot's events keep moving to the ERP.
 */
class FailingWriteIT {

  private static final Duration PATIENCE = Duration.ofSeconds(60);

  @TempDir Path dir;

  @Test
  void everyEventIsDeliveredAndLeavesTheBacklogWhileWritesInTheSameGroupsKeepFailing()
      throws Exception {
    try (MqttRig rig = MqttRig.start()) {
      Path config = TestConfig.write(dir, rig.httpPort(), rig.broker().url(), rig.erp().url());
      refuseEveryLotStatusChange(dir.resolve("data"));
      rig.startGateway(config, "L1", "L2");
      GatewayApi api = rig.api();
      String lot = rig.publishAndAwaitLot("L1", TestConfig.WIDGET, 2).get("lot").asText();

      BatchGenerator generator =
          new BatchGenerator(
              new BatchGenerator.Options(
                  List.of("L1", "L2"),
                  100,
                  OptionalLong.of(1_000),
                  Optional.empty(),
                  TestConfig.WIDGET,
                  3,
                  0,
                  0),
              new SplittableRandom(),
              p -> {});
      CompletableFuture<BatchGenerator.Summary> publishing =
          CompletableFuture.supplyAsync(() -> publish(generator, rig));
      int holds = 0;
      while (!publishing.isDone()) {
        // Fails inside the writer, in whatever group it lands: often beside delivery attempts.
        GatewayApi.Answer hold =
            api.post("/api/lots/" + lot + "/hold", "{\"reason\": \"deviation DEV-042\"}");
        assertThat(hold.status()).as(hold.body().toString()).isEqualTo(500);
        holds++;
      }
      long published = publishing.get(60, TimeUnit.SECONDS).batches();

      assertThat(holds).isPositive();
      await()
          .atMost(PATIENCE)
          .untilAsserted(
              () ->
                  assertThat(rig.erp().events())
                      .as("events at the ERP")
                      .hasSize((int) published + 1));
      // An attempt the writer dropped would keep its event pending, and its lot's later events
      // waiting, for ever.
      await()
          .atMost(PATIENCE)
          .untilAsserted(
              () ->
                  assertThat(api.get("/health").get("outbox").get("pending").asInt())
                      .as("events still pending")
                      .isZero());
      assertThat(api.get("/api/lots/" + lot).get("status").asText()).isEqualTo("released");
      assertThat(rig.erp().duplicates()).isZero();
    }
  }

  /**
   * A database that refuses one kind of write, as a bad sector under an index or a broken
   * constraint would: the write fails inside the writer's transaction every time it is tried.
   */
  private static void refuseEveryLotStatusChange(Path dataDir) throws Exception {
    Database.open(dataDir);
    try (Connection c =
        DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve(Database.FILE_NAME))) {
      c.createStatement()
          .execute(
              "CREATE TRIGGER refuse_status_changes BEFORE INSERT ON lot_status_changes BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END");
    }
  }

  private static BatchGenerator.Summary publish(BatchGenerator generator, MqttRig rig) {
    try {
      return generator.run(rig.plc());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
