package dev.linegate.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.linegate.gateway.Gateway;
import dev.linegate.gateway.config.ConfigException;
import dev.linegate.simulator.kafka.KafkaBroker;
import dev.linegate.simulator.mqtt.BatchMessage;
import dev.linegate.simulator.mqtt.EmbeddedBroker;
import dev.linegate.simulator.mqtt.MqttPlc;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * erp.routes hands the outbox to the user's Camel routes: here the shipped example, writing files.
 */
class CamelRoutesIT {

  @TempDir Path dir;

  @Test
  void theShippedFileRouteReceivesEveryEvent() throws Exception {
    Path drop = dir.resolve("erp-drop");
    Path routes = dir.resolve("erp-routes.yaml");
    Files.writeString(
        routes,
        Files.readString(Path.of("../config/erp-routes.yaml"))
            .replace("{{env:ERP_DROP_DIR:./data/erp-drop}}", drop.toString()));
    int httpPort = TestConfig.freePort();
    try (EmbeddedBroker broker = EmbeddedBroker.start("127.0.0.1", 0);
        MqttPlc plc = MqttPlc.connect(broker.url(), MqttPlc.DEFAULT_TOPIC)) {
      Path config = TestConfig.write(dir, httpPort, broker.url(), "3.1.1", "routes: " + routes);
      try (Gateway gateway = InProcessGateway.start(config)) {
        broker.subscribed("plant/L1/batch-complete").get(30, TimeUnit.SECONDS);
        BatchMessage batch =
            plc.publish("L1", plc.nextBatchId("L1"), TestConfig.WIDGET, 4)
                .get(10, TimeUnit.SECONDS);

        await().atMost(Duration.ofSeconds(30)).until(() -> files(drop).size() == 1);
        JsonNode event = new ObjectMapper().readTree(files(drop).get(0).toFile());
        assertThat(event.get("type").asText()).isEqualTo("dev.linegate.lot.completed");
        assertThat(event.get("data").get("batchId").asText()).isEqualTo(batch.batchId());
        assertThat(files(drop).get(0).getFileName().toString())
            .startsWith(event.get("data").get("lot").asText() + "-" + event.get("id").asText());
        await()
            .atMost(Duration.ofSeconds(5))
            .until(
                () ->
                    new GatewayApi(httpPort, dir.resolve("data")).count("/api/outbox?state=pending")
                        == 0);
      }
    }
  }

  /**
   * The SPEC names Kafka and SQL for user routes: both components must be in the shipped jar (the
   * shade keeps their service files) and start from a user's YAML, with a data source declared in
   * it. Here one route writes every event into a SQLite table and onto a Kafka topic.
   */
  @Test
  void theShippedJarRunsAUsersRouteToSqlAndKafka() throws Exception {
    Path erpDb = dir.resolve("erp.db");
    try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + erpDb);
        Statement create = db.createStatement()) {
      create.execute("CREATE TABLE events (id TEXT PRIMARY KEY, lot TEXT, body TEXT)");
    }
    try (MosquittoRig rig = MosquittoRig.start(dir);
        KafkaBroker kafka = KafkaBroker.start(dir.resolve("kafka"), "127.0.0.1", 0)) {
      Path routes = dir.resolve("erp-routes.yaml");
      Files.writeString(
          routes,
          """
          - beans:
              - name: erpDb
                type: org.sqlite.SQLiteDataSource
                properties:
                  url: "jdbc:sqlite:%s"
          - route:
              from:
                uri: direct:erp
                steps:
                  - to: "sql:INSERT INTO events (id, lot, body) VALUES (:#${header.Idempotency-Key}, :#${header.LinegateSubject}, :#${body})?dataSource=#erpDb"
                  - to: "kafka:erp.events?brokers=%s"
          """
              .formatted(erpDb, kafka.bootstrap()));
      Path config =
          TestConfig.write(dir, rig.httpPort(), rig.broker().url(), "3.1.1", "routes: " + routes);
      GatewayApi api = rig.api();
      try (GatewayProcess gateway = GatewayProcess.start(config, dir.resolve("gateway.log"))) {
        api.awaitUp(Duration.ofSeconds(60));
        BatchMessage batch =
            rig.plc()
                .publish("L1", rig.plc().nextBatchId("L1"), TestConfig.WIDGET, 4)
                .get(10, TimeUnit.SECONDS);
        String lot =
            await()
                .atMost(Duration.ofSeconds(30))
                .until(() -> api.lotOfBatch("L1", batch.batchId()), Optional::isPresent)
                .orElseThrow()
                .get("lot")
                .asText();
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> api.count("/api/outbox?state=pending") == 0);

        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + erpDb);
            ResultSet rows =
                db.createStatement().executeQuery("SELECT id, lot, body FROM events")) {
          assertThat(rows.next()).as("a row for the lot").isTrue();
          assertThat(rows.getString("lot")).isEqualTo(lot);
          JsonNode event = new ObjectMapper().readTree(rows.getString("body"));
          assertThat(event.get("id").asText()).isEqualTo(rows.getString("id"));
          assertThat(event.at("/data/batchId").asText()).isEqualTo(batch.batchId());
        }
        Properties consumer = new Properties();
        consumer.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrap());
        consumer.put(ConsumerConfig.GROUP_ID_CONFIG, "camel-routes-it");
        consumer.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<String, String> topic =
            new KafkaConsumer<>(consumer, new StringDeserializer(), new StringDeserializer())) {
          topic.subscribe(List.of("erp.events"));
          List<String> values = new ArrayList<>();
          await()
              .atMost(Duration.ofSeconds(30))
              .until(
                  () -> {
                    topic.poll(Duration.ofMillis(200)).forEach(r -> values.add(r.value()));
                    return !values.isEmpty();
                  });
          assertThat(new ObjectMapper().readTree(values.get(0)).at("/data/lot").asText())
              .isEqualTo(lot);
        }
      }
    }
  }

  @Test
  void routesThatDoNotReadTheOutboxAreAConfigurationError() throws Exception {
    Path routes = dir.resolve("wrong.yaml");
    Files.writeString(
        routes,
        "- route:\n    from:\n      uri: direct:elsewhere\n      steps:\n        - to: log:x\n");
    Path config =
        TestConfig.write(
            dir, TestConfig.freePort(), "tcp://127.0.0.1:1", "3.1.1", "routes: " + routes);
    ConfigException e =
        org.assertj.core.api.Assertions.catchThrowableOfType(
            ConfigException.class, () -> InProcessGateway.start(config).close());
    assertThat(e.getMessage()).contains("erp.routes: no route reads from direct:erp");
  }

  private static List<Path> files(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> f.toString().endsWith(".json")).toList();
    }
  }
}
