package dev.linegate.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.linegate.gateway.Gateway;
import dev.linegate.gateway.config.ConfigException;
import dev.linegate.simulator.mqtt.BatchMessage;
import dev.linegate.simulator.mqtt.EmbeddedBroker;
import dev.linegate.simulator.mqtt.MqttPlc;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
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
