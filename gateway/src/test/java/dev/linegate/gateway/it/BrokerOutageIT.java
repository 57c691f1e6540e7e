package dev.linegate.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.linegate.gateway.Gateway;
import dev.linegate.simulator.erp.SimulatedErp;
import dev.linegate.simulator.mqtt.BatchMessage;
import dev.linegate.simulator.mqtt.MqttPlc;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The broker goes away and comes back: the gateway says so in /health and reconnects by itself. */
class BrokerOutageIT {

  @TempDir Path dir;

  @Test
  void theGatewayReconnectsByItselfAndSaysWhatItIsDoing() throws Exception {
    int httpPort = TestConfig.freePort();
    GatewayApi api = new GatewayApi(httpPort, dir.resolve("data"));
    try (Mosquitto broker = Mosquitto.start(dir);
        SimulatedErp erp = SimulatedErp.start(0)) {
      Path config = TestConfig.write(dir, httpPort, broker.url(), erp.url());
      try (Gateway gateway = InProcessGateway.start(config)) {
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> api.call("GET", "/health").status() == 200);

        broker.stop();
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> api.call("GET", "/health").status() == 503);
        JsonNode line = check(api.call("GET", "/health").body(), "mqtt:L1");
        assertThat(line.get("state").asText()).isIn("DOWN", "CONNECTING");
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () ->
                    check(api.call("GET", "/health").body(), "mqtt:L1")
                        .get("detail")
                        .asText()
                        .contains("retrying in"));
        // Every check of /health is a connector_up series of the same shape, not only the lines.
        assertThat(api.get("/metrics").asText())
            .contains("linegate_connector_up{id=\"L1\",kind=\"mqtt\"} 0.0")
            .contains("linegate_connector_up{id=\"store\",kind=\"store\"} 1.0")
            .contains("linegate_connector_up{id=\"disk\",kind=\"disk\"} 1.0")
            .containsPattern("linegate_connector_up\\{id=\"erp\",kind=\"erp\"\\} [01]\\.0")
            // A broker that is away is tried again with backoff, and the attempts are counted.
            .containsPattern(
                "linegate_connector_open_attempts_total\\{id=\"L1\",kind=\"mqtt\"\\}"
                    + " [1-9][0-9]*\\.0");

        broker.start();
        await()
            .atMost(Duration.ofSeconds(60))
            .until(() -> api.call("GET", "/health").status() == 200);
        assertThat(check(api.call("GET", "/health").body(), "mqtt:L1").get("reconnects").asInt())
            .isPositive();
        try (MqttPlc plc = MqttPlc.connect(broker.url(), MqttPlc.DEFAULT_TOPIC)) {
          BatchMessage batch =
              plc.publish("L1", plc.nextBatchId("L1"), TestConfig.WIDGET, 2)
                  .get(10, TimeUnit.SECONDS);
          await()
              .atMost(Duration.ofSeconds(30))
              .until(() -> api.lotOfBatch("L1", batch.batchId()).isPresent());
        }
      }
    }
  }

  private static JsonNode check(JsonNode health, String name) {
    return StreamSupport.stream(health.get("checks").spliterator(), false)
        .filter(c -> c.get("name").asText().equals(name))
        .findFirst()
        .orElseThrow();
  }
}
