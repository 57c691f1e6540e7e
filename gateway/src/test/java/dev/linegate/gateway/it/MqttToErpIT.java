package dev.linegate.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.linegate.simulator.erp.ErpEvent;
import dev.linegate.simulator.mqtt.BatchMessage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The path of a batch end to end, through real wires: a simulated PLC publishes over a real MQTT
 * broker, the gateway commits to a real SQLite file and posts to a real HTTP ERP.
 */
class MqttToErpIT {

  private static final Duration PATIENCE = Duration.ofSeconds(30);

  @TempDir Path dir;
  private MqttRig rig;
  private Path config;

  @BeforeEach
  void start() throws Exception {
    rig = MqttRig.start();
    config = TestConfig.write(dir, rig.httpPort(), rig.broker().url(), rig.erp().url());
    rig.startGateway(config, "L1", "L2");
  }

  @AfterEach
  void stop() {
    rig.close();
  }

  @Test
  void aBatchBecomesOneLotWithDistinctSerialsAndOneMatchingErpEvent() throws Exception {
    BatchMessage batch =
        rig.plc()
            .publish("L1", rig.plc().nextBatchId("L1"), TestConfig.WIDGET, 24)
            .get(10, TimeUnit.SECONDS);

    await().atMost(PATIENCE).until(() -> rig.erp().events().size() == 1);
    ErpEvent event = rig.erp().events().get(0);
    JsonNode data = event.data();
    assertThat(event.type()).isEqualTo("dev.linegate.lot.completed");
    assertThat(event.key()).isEqualTo(event.id());
    assertThat(event.body().get("source").asText()).isEqualTo("linegate/edge-test/L1");
    assertThat(data.get("batchId").asText()).isEqualTo(batch.batchId());
    assertThat(data.get("line").asText()).isEqualTo("L1");
    assertThat(data.get("gtin").asText()).isEqualTo(TestConfig.WIDGET_GTIN);
    assertThat(data.get("quantity").asInt()).isEqualTo(24);
    assertThat(data.get("productionDate").asText())
        .isEqualTo(
            batch.completedAt().atZone(java.time.ZoneId.systemDefault()).toLocalDate().toString());
    assertThat(data.get("expiryDate").asText())
        .isEqualTo(
            batch
                .completedAt()
                .atZone(java.time.ZoneId.systemDefault())
                .toLocalDate()
                .plusDays(730)
                .toString());
    List<String> serials = texts(data.get("serials"));
    assertThat(serials).hasSize(24).doesNotHaveDuplicates().allMatch(s -> s.matches("\\d{12}"));

    String lot = data.get("lot").asText();
    JsonNode stored = rig.api().get("/api/lots/" + lot);
    assertThat(stored.get("batchId").asText()).isEqualTo(batch.batchId());
    assertThat(stored.get("status").asText()).isEqualTo("released");
    assertThat(stored.get("serialCounts").get("assigned").asInt()).isEqualTo(24);
    assertThat(
            rig.api()
                .get("/api/lots/" + lot + "/serials?limit=1000")
                .get("items")
                .findValuesAsText("serial"))
        .containsExactlyInAnyOrderElementsOf(serials);
    assertThat(rig.api().get("/api/serials/" + serials.get(0)).get("lot").asText()).isEqualTo(lot);
    assertThat(rig.api().call("GET", "/api/serials/000000000000").status()).isEqualTo(404);
  }

  @Test
  void theSameBatchAgainCreatesNothingNewAndTheSameIdWithOtherContentIsARejected()
      throws Exception {
    BatchMessage batch =
        rig.plc()
            .publish("L1", rig.plc().nextBatchId("L1"), TestConfig.WIDGET, 5)
            .get(10, TimeUnit.SECONDS);
    rig.plc().publish(batch).get(10, TimeUnit.SECONDS);
    rig.plc()
        .publish(new BatchMessage("L1", batch.batchId(), TestConfig.WIDGET, 6, batch.completedAt()))
        .get(10, TimeUnit.SECONDS);
    BatchMessage marker =
        rig.plc()
            .publish("L1", rig.plc().nextBatchId("L1"), TestConfig.WIDGET, 1)
            .get(10, TimeUnit.SECONDS);

    // Signals of a line are handled in order: once the marker has its lot, the others are done.
    await().atMost(PATIENCE).until(() -> rig.api().lotOfBatch("L1", marker.batchId()).isPresent());
    assertThat(rig.api().count("/api/lots?line=L1")).isEqualTo(2);
    JsonNode rejects = rig.api().get("/api/rejects").get("items");
    assertThat(rejects).hasSize(1);
    assertThat(rejects.get(0).get("reason").asText())
        .contains("batchId " + batch.batchId() + " already has lot")
        .contains("quantity 5")
        .contains("quantity 6");
    assertThat(rejects.get(0).get("raw").asText()).contains("\"quantity\":6");
    await().atMost(PATIENCE).until(() -> rig.erp().events().size() == 2);
  }

  @Test
  void badSignalsBecomeRejectsWithReasonsAndTheLineGoesOn() throws Exception {
    List<String> bad =
        List.of(
            "{\"batchId\": \"B-1\", \"product\": \"WIDGET-100\", \"quantity\": 3",
            "{\"product\": \"WIDGET-100\", \"quantity\": 3}",
            "{\"batchId\": \"B-2\", \"product\": \"NO-SUCH\", \"quantity\": 3}",
            "{\"batchId\": \"B-3\", \"product\": \"WIDGET-100\", \"quantity\": 0}",
            "{\"batchId\": \"B-4\", \"product\": \"WIDGET-100\", \"quantity\": -1}",
            "{\"batchId\": \"B-5\", \"product\": \"WIDGET-100\", \"quantity\": 10000000}",
            "{\"batchId\": \"B-6\", \"product\": \"WIDGET-100\", \"quantity\": \"abc\"}");
    for (String payload : bad) {
      rig.plc().publishRaw("L2", payload).get(10, TimeUnit.SECONDS);
    }
    BatchMessage good =
        rig.plc()
            .publish("L2", rig.plc().nextBatchId("L2"), TestConfig.WIDGET, 2)
            .get(10, TimeUnit.SECONDS);

    await().atMost(PATIENCE).until(() -> rig.api().lotOfBatch("L2", good.batchId()).isPresent());
    JsonNode rejects = rig.api().get("/api/rejects").get("items");
    assertThat(rejects.findValuesAsText("reason"))
        .hasSize(7)
        .anyMatch(r -> r.startsWith("malformed JSON"))
        .anyMatch(r -> r.equals("batchId is missing"))
        .anyMatch(r -> r.startsWith("unknown product \"NO-SUCH\""))
        .anyMatch(r -> r.startsWith("quantity 0 is out of range"))
        .anyMatch(r -> r.startsWith("quantity -1 is out of range"))
        .anyMatch(r -> r.startsWith("quantity 10000000 is out of range"))
        .anyMatch(r -> r.equals("quantity must be a whole number, not \"abc\""));
    assertThat(rejects.findValuesAsText("raw")).containsExactlyInAnyOrderElementsOf(bad);
    assertThat(rejects.findValuesAsText("line")).containsOnly("L2");
    assertThat(rig.api().call("GET", "/health").status()).isEqualTo(200);
    assertThat(rig.api().get("/metrics").asText())
        .contains("linegate_rejects_total{line=\"L2\"} 7.0");
  }

  @Test
  void eventsWaitWhileTheErpRefusesConnectionsAndAllArriveOnceWhenItReturns() throws Exception {
    rig.erp().refuseConnections();
    List<BatchMessage> batches = publish(40, "L1", "L2");
    await().atMost(PATIENCE).until(() -> rig.api().count("/api/lots") == 40);
    await().atMost(PATIENCE).until(() -> rig.api().call("GET", "/health").status() == 503);
    await()
        .atMost(PATIENCE)
        .until(
            () ->
                rig.api().call("GET", "/health").body().get("outbox").get("pending").asInt() == 40);
    JsonNode health = rig.api().call("GET", "/health").body();
    assertThat(
            StreamSupport.stream(health.get("checks").spliterator(), false)
                .filter(c -> c.get("name").asText().equals("erp"))
                .findFirst()
                .orElseThrow()
                .get("detail")
                .asText())
        .contains("ConnectException");
    assertThat(rig.api().count("/api/outbox?state=pending")).isEqualTo(40);

    rig.erp().acceptConnections();
    await().atMost(PATIENCE).until(() -> rig.erp().events().size() == 40);
    Set<String> delivered = new HashSet<>();
    rig.erp().events().forEach(e -> delivered.add(e.data().get("batchId").asText()));
    assertThat(delivered)
        .containsExactlyInAnyOrderElementsOf(batches.stream().map(BatchMessage::batchId).toList());
    await().atMost(PATIENCE).until(() -> rig.api().call("GET", "/health").status() == 200);
    assertThat(rig.api().count("/api/outbox?state=pending")).isZero();
  }

  @Test
  void anEventTheErpRefusesBecomesADeadLetterThatAnOperatorCanSendAgain() throws Exception {
    String refusedBatch = rig.plc().nextBatchId("L1");
    rig.erp().respondWith(400, e -> e.data().path("batchId").asText().equals(refusedBatch));
    rig.plc().publish("L1", refusedBatch, TestConfig.WIDGET, 3).get(10, TimeUnit.SECONDS);
    BatchMessage accepted =
        rig.plc()
            .publish("L1", rig.plc().nextBatchId("L1"), TestConfig.WIDGET, 3)
            .get(10, TimeUnit.SECONDS);

    await().atMost(PATIENCE).until(() -> rig.api().count("/api/outbox?state=dead") == 1);
    await()
        .atMost(PATIENCE)
        .until(
            () ->
                rig.erp().events().stream()
                    .anyMatch(e -> e.data().get("batchId").asText().equals(accepted.batchId())));
    JsonNode dead = rig.api().get("/api/outbox?state=dead").get("items").get(0);
    assertThat(dead.get("lastError").asText()).startsWith("HTTP 400");
    assertThat(dead.get("type").asText()).isEqualTo("dev.linegate.lot.completed");
    assertThat(rig.erp().events())
        .noneMatch(e -> e.data().get("batchId").asText().equals(refusedBatch));

    rig.erp().behaveNormally();
    assertThat(rig.api().call("POST", "/api/outbox/" + dead.get("id").asLong() + "/retry").status())
        .isEqualTo(200);
    await()
        .atMost(PATIENCE)
        .until(
            () ->
                rig.erp().events().stream()
                    .anyMatch(e -> e.data().get("batchId").asText().equals(refusedBatch)));
    assertThat(rig.api().count("/api/outbox?state=dead")).isZero();
    assertThat(rig.api().call("POST", "/api/outbox/" + dead.get("id").asLong() + "/retry").status())
        .isEqualTo(409);
    assertThat(rig.api().call("POST", "/api/outbox/987654/retry").status()).isEqualTo(404);
  }

  @Test
  void batchesPublishedWhileTheGatewayIsStoppedAllGetTheirLotsWhenItStarts() throws Exception {
    publish(5, "L1");
    await().atMost(PATIENCE).until(() -> rig.api().count("/api/lots") == 5);
    rig.stopGateway();

    List<BatchMessage> whileDown = publish(30, "L1", "L2");
    rig.startGateway(config, "L1", "L2");

    await().atMost(PATIENCE).until(() -> rig.api().count("/api/lots") == 35);
    for (BatchMessage batch : whileDown) {
      assertThat(rig.api().lotOfBatch(batch.line(), batch.batchId()))
          .as(batch.batchId())
          .isPresent();
    }
    await().atMost(PATIENCE).until(() -> rig.erp().events().size() == 35);
  }

  private List<BatchMessage> publish(int count, String... lines) throws Exception {
    List<BatchMessage> sent = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String line = lines[i % lines.length];
      sent.add(
          rig.plc()
              .publish(line, rig.plc().nextBatchId(line), TestConfig.WIDGET, 1 + i % 7)
              .get(10, TimeUnit.SECONDS));
    }
    return sent;
  }

  private static List<String> texts(JsonNode array) {
    List<String> texts = new ArrayList<>();
    array.forEach(n -> texts.add(n.asText()));
    return texts;
  }
}
