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
import java.time.LocalDate;
import java.time.Year;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A PLC with a broken clock sends a completion time no label can carry. It must be a reject with
 * its reason, acknowledged like any bad signal, and not a message the gateway can neither commit
 * nor acknowledge, which the broker hands over again and again while the line stands.
 */
class BadDatesIT {

  private static final String CLIENT_ID = "linegate-edge-test-L1";

  @TempDir Path dir;

  @Test
  void aDateNoLabelCanCarryIsARejectWithItsReasonAndTheLineGoesOnWithoutReconnecting()
      throws Exception {
    try (MosquittoRig rig = MosquittoRig.start(dir)) {
      Mosquitto broker = rig.broker();
      SimulatedErp erp = rig.erp();
      MqttPlc plc = rig.plc();
      GatewayApi api = rig.api();
      Path config = rig.config();
      try (Gateway gateway = InProcessGateway.start(config)) {
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> api.call("GET", "/health").status() == 200);
        long connects = broker.connects(CLIENT_ID);
        assertThat(connects).isEqualTo(1);

        plc.publishRaw("L1", batch("B-FAR-FUTURE", "+999999999-12-31T23:59:59Z"))
            .get(10, TimeUnit.SECONDS);
        // Made on the last days a GS1 scanner reads as this century; WIDGET-100 keeps 730 days.
        LocalDate lastReadable = LocalDate.of(Math.min(2099, Year.now().getValue() + 50), 12, 31);
        plc.publishRaw("L1", batch("B-EXPIRY-TOO-LATE", lastReadable.minusDays(10) + "T10:00:00Z"))
            .get(10, TimeUnit.SECONDS);
        BatchMessage good =
            plc.publish("L1", plc.nextBatchId("L1"), TestConfig.WIDGET, 3)
                .get(10, TimeUnit.SECONDS);

        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> api.lotOfBatch("L1", good.batchId()).isPresent());
        List<String> reasons = new ArrayList<>();
        api.get("/api/rejects")
            .get("items")
            .forEach(reject -> reasons.add(reject.get("reason").asText()));
        assertThat(reasons)
            .anySatisfy(
                reason ->
                    assertThat(reason)
                        .isEqualTo(
                            "completedAt +999999999-12-31T23:59:59Z is out of range: production date +999999999-12-31 is not between 2000-01-01 and "
                                + lastReadable
                                + ", the dates a GS1 label (YYMMDD) can carry"))
            .anySatisfy(
                reason ->
                    assertThat(reason)
                        .startsWith(
                            "completedAt "
                                + lastReadable.minusDays(10)
                                + "T10:00:00Z is out of range: expiry date "
                                + lastReadable.plusDays(720)
                                + " (production date "
                                + lastReadable.minusDays(10)
                                + " + 730 days of WIDGET-100)"))
            .hasSize(2);
        assertThat(broker.connects(CLIENT_ID))
            .as("the session was never dropped to have a message delivered again")
            .isEqualTo(connects);
        JsonNode line = lineCheck(api.get("/health"), "mqtt:L1");
        assertThat(line.get("status").asText()).isEqualTo("UP");
      }
    }
  }

  private static String batch(String batchId, String completedAt) {
    return "{\"batchId\": \""
        + batchId
        + "\", \"product\": \""
        + TestConfig.WIDGET
        + "\", \"quantity\": 2, \"completedAt\": \""
        + completedAt
        + "\"}";
  }

  private static JsonNode lineCheck(JsonNode health, String name) {
    for (JsonNode check : health.get("checks")) {
      if (check.get("name").asText().equals(name)) {
        return check;
      }
    }
    throw new AssertionError("no check " + name + " in " + health);
  }
}
