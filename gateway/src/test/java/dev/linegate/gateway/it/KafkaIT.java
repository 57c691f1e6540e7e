package dev.linegate.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.linegate.simulator.kafka.KafkaBroker;
import dev.linegate.simulator.mqtt.MqttPlc;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code erp.kafka} (SPEC section 13) beside the HTTP ERP, with the gateway's jar, mosquitto and a
 * real Kafka broker (KRaft): every event in the topic, keyed by gateway and lot, in order per lot;
 * each output with its own backlog through a broker outage; nothing missing after a kill -9.
 */
class KafkaIT {

  private static final Duration PATIENCE = Duration.ofSeconds(60);
  private static final String TOPIC = "linegate.events";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  private MosquittoRig rig;
  private KafkaBroker kafka;

  @BeforeEach
  void startTheWires() throws Exception {
    rig = MosquittoRig.start(dir);
    kafka = KafkaBroker.start(dir.resolve("kafka"), "127.0.0.1", 0);
  }

  @AfterEach
  void stopTheWires() throws Exception {
    kafka.close();
    rig.close();
  }

  private Path config(String kafkaProperties) throws Exception {
    return TestConfig.write(
        dir,
        rig.httpPort(),
        rig.broker().url(),
        "3.1.1",
        "url: "
            + rig.erp().url()
            + "\nkafka: { bootstrap: \""
            + kafka.bootstrap()
            + "\", properties: { "
            + kafkaProperties
            + " } }");
  }

  @Test
  void everyEventIsInTheTopicKeyedByGatewayAndLotInOrderAndALargeLotComesInParts()
      throws Exception {
    GatewayApi api = rig.api();
    try (GatewayProcess gateway =
        GatewayProcess.start(config("max.request.size: 100000"), dir.resolve("gateway.log"))) {
      api.awaitUp(PATIENCE);
      List<String> batches = publish(rig.plc(), 10, 10);
      String large = rig.plc().nextBatchId("L1");
      rig.plc().publish("L1", large, TestConfig.WIDGET, 20_000).get(10, TimeUnit.SECONDS);
      await().atMost(PATIENCE).until(() -> api.count("/api/lots") == 11);
      List<String> lots = new ArrayList<>();
      for (String batch : batches) {
        lots.add(api.lotOfBatch("L1", batch).orElseThrow().get("lot").asText());
      }
      for (String lot : lots.subList(0, 3)) {
        assertThat(api.post("/api/lots/" + lot + "/hold", "{\"reason\": \"deviation\"}").status())
            .isEqualTo(200);
      }
      String largeLot = api.lotOfBatch("L1", large).orElseThrow().get("lot").asText();

      // Every event the HTTP ERP has, the large lot's in parts.
      await()
          .atMost(PATIENCE)
          .until(() -> api.get("/health").at("/outbox/outputs/http/pending").asInt() == 0);
      Set<String> ids = new HashSet<>();
      rig.erp().events().forEach(e -> ids.add(e.id()));
      assertThat(ids).hasSizeGreaterThanOrEqualTo(14);
      List<ConsumerRecord<String, String>> records = readUntil(r -> events(r).equals(ids));
      Map<String, List<String>> typesByKey = new LinkedHashMap<>();
      List<String> largeSerials = new ArrayList<>();
      for (ConsumerRecord<String, String> record : records) {
        assertThat(header(record, "content-type")).isEqualTo("application/cloudevents+json");
        assertThat(record.serializedValueSize()).isLessThanOrEqualTo(100_000);
        JsonNode event = JSON.readTree(record.value());
        String lot = event.at("/data/lot").asText();
        assertThat(record.key()).isEqualTo("edge-test/" + lot);
        if (!event.has("part") || event.get("part").asInt() == 1) {
          typesByKey.computeIfAbsent(record.key(), k -> new ArrayList<>()).add(type(event));
        }
        if (lot.equals(largeLot)) {
          event.at("/data/serials").forEach(s -> largeSerials.add(s.asText()));
        }
      }
      for (String lot : lots.subList(0, 3)) {
        assertThat(typesByKey.get("edge-test/" + lot))
            .as("in order, per lot")
            .containsExactly("lot.completed", "lot.status-changed");
      }
      // 20,000 units: lot.completed with the first 10,000 serials, lot.serials with the rest
      // (README, events); each over max.request.size here, so each in several records.
      assertThat(typesByKey.get("edge-test/" + largeLot))
          .containsExactly("lot.completed", "lot.serials");
      assertThat(records.stream().filter(r -> r.key().endsWith(largeLot)).count())
          .as("parts of the large lot")
          .isGreaterThan(2);
      assertThat(largeSerials).hasSize(20_000).doesNotHaveDuplicates();
      List<String> toTheErp = new ArrayList<>();
      rig.erp().events().stream()
          .filter(e -> e.data().path("lot").asText().equals(largeLot))
          .forEach(e -> e.data().path("serials").forEach(s -> toTheErp.add(s.asText())));
      assertThat(largeSerials).as("in the order of the whole event").isEqualTo(toTheErp);

      // Each output has its own outbox rows, both delivered.
      await()
          .atMost(PATIENCE)
          .until(() -> api.get("/health").at("/outbox/outputs/kafka/pending").asInt() == 0);
      assertThat(api.check("kafka").get("status").asText()).isEqualTo("UP");
      assertThat(api.metrics()).contains("linegate_outbox_pending{output=\"kafka\"}");
      assertThat(api.call("GET", "/api/outbox?output=ftp").status()).isEqualTo(400);
    }
  }

  @Test
  void whileKafkaIsAwayOnlyItsBacklogGrowsAndItDrainsWhenTheBrokerReturns() throws Exception {
    GatewayApi api = rig.api();
    Path log = dir.resolve("gateway.log");
    try (GatewayProcess gateway = GatewayProcess.start(config(""), log)) {
      api.awaitUp(PATIENCE);
      publish(rig.plc(), 1, 5);
      await().atMost(PATIENCE).until(() -> events(readAll()).size() == 1);

      int port = kafka.port();
      kafka.close();
      publish(rig.plc(), 10, 5);
      await().atMost(PATIENCE).until(() -> rig.erp().events().size() == 11);
      await()
          .atMost(PATIENCE)
          .until(() -> api.check("kafka").path("state").asText().equals("DOWN"));
      assertThat(api.check("erp").get("state").asText()).isEqualTo("UP");
      assertThat(api.call("GET", "/health").body().at("/outbox/outputs/kafka/pending").asInt())
          .isEqualTo(10);
      assertThat(api.get("/api/outbox?output=kafka&state=pending").get("items"))
          .hasSize(10)
          .allSatisfy(e -> assertThat(e.get("output").asText()).isEqualTo("kafka"));
      assertThat(api.get("/api/outbox?output=http&state=pending").get("items")).isEmpty();

      kafka = KafkaBroker.start(dir.resolve("kafka"), "127.0.0.1", port);
      await().atMost(PATIENCE).until(() -> events(readAll()).size() == 11);
      await().atMost(PATIENCE).until(() -> api.check("kafka").path("state").asText().equals("UP"));
      // In the topic comes a moment before the gateway records the broker's acknowledgment.
      await()
          .atMost(PATIENCE)
          .until(() -> api.get("/health").at("/outbox/outputs/kafka/pending").asInt() == 0);
    }
    String output = Files.readString(log);
    assertThat(output).contains("Kafka unreachable").contains("Kafka reachable again");
  }

  /**
   * Killed with -9 while lots are being sent: after the restart every lot is in the topic; some may
   * be there twice (sent, acknowledged, not yet recorded), with the same CloudEvents id.
   */
  @Test
  void killedHardTheGatewayLeavesNoEventOutOfTheTopic() throws Exception {
    GatewayApi api = rig.api();
    Path config = config("");
    int batches = 300;
    GatewayProcess first = GatewayProcess.start(config, dir.resolve("first.log"));
    try {
      api.awaitUp(PATIENCE);
      CompletableFuture<List<String>> sent =
          CompletableFuture.supplyAsync(() -> publish(rig.plc(), batches, 5));
      await().atMost(PATIENCE).until(() -> readAll().size() >= 50);
      first.killHard();
      sent.get(60, TimeUnit.SECONDS);
    } finally {
      first.killHard();
    }
    try (GatewayProcess second = GatewayProcess.start(config, dir.resolve("second.log"))) {
      api.awaitUp(PATIENCE);
      await().atMost(PATIENCE).until(() -> api.count("/api/lots") == batches);
      await().atMost(PATIENCE).until(() -> events(readAll()).size() == batches);
      List<ConsumerRecord<String, String>> records = readAll();
      Set<String> lots = new HashSet<>();
      for (ConsumerRecord<String, String> record : records) {
        lots.add(JSON.readTree(record.value()).at("/data/lot").asText());
      }
      assertThat(lots).hasSize(batches);
      System.out.printf(
          "KafkaIT: %d records for %d events after kill -9 (%d duplicates by id)%n",
          records.size(), batches, records.size() - batches);
    }
  }

  /** Publishes {@code count} batches of {@code units} on L1, waiting for each PUBACK. */
  private static List<String> publish(MqttPlc plc, int count, int units) {
    List<String> ids = new ArrayList<>();
    try {
      for (int i = 0; i < count; i++) {
        String id = plc.nextBatchId("L1");
        plc.publish("L1", id, TestConfig.WIDGET, units).get(10, TimeUnit.SECONDS);
        ids.add(id);
      }
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    return ids;
  }

  /** The CloudEvents ids of whole events (a part counts as the event it is part of). */
  private static Set<String> events(List<ConsumerRecord<String, String>> records) {
    Set<String> ids = new HashSet<>();
    for (ConsumerRecord<String, String> record : records) {
      try {
        JsonNode event = JSON.readTree(record.value());
        ids.add(event.has("partof") ? event.get("partof").asText() : event.get("id").asText());
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    }
    return ids;
  }

  private List<ConsumerRecord<String, String>> readUntil(
      java.util.function.Predicate<List<ConsumerRecord<String, String>>> done) {
    List<ConsumerRecord<String, String>> records = new ArrayList<>();
    await()
        .atMost(PATIENCE)
        .until(
            () -> {
              records.clear();
              records.addAll(readAll());
              return done.test(records);
            });
    return records;
  }

  /** Every record of the topic so far, partition by partition (offsets in order). */
  private List<ConsumerRecord<String, String>> readAll() {
    Properties properties = new Properties();
    properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrap());
    properties.put(ConsumerConfig.GROUP_ID_CONFIG, "kafka-it-" + System.nanoTime());
    properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(properties, new StringDeserializer(), new StringDeserializer())) {
      var partitions =
          consumer.partitionsFor(TOPIC, Duration.ofSeconds(10)).stream()
              .map(p -> new org.apache.kafka.common.TopicPartition(TOPIC, p.partition()))
              .toList();
      if (partitions.isEmpty()) {
        return List.of();
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<org.apache.kafka.common.TopicPartition, Long> end =
          new HashMap<>(consumer.endOffsets(partitions));
      List<ConsumerRecord<String, String>> records = new ArrayList<>();
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        consumer.poll(Duration.ofMillis(500)).forEach(records::add);
      }
      return records;
    } catch (org.apache.kafka.common.KafkaException e) {
      return List.of(); // the topic not made yet, or the broker restarting
    }
  }

  private static String type(JsonNode event) {
    return event.get("type").asText().replace("dev.linegate.", "");
  }

  private static String header(ConsumerRecord<String, String> record, String name) {
    Header header = record.headers().lastHeader(name);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }
}
