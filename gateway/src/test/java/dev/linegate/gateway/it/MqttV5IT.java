package dev.linegate.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.linegate.gateway.Gateway;
import dev.linegate.simulator.erp.SimulatedErp;
import dev.linegate.simulator.mqtt.BatchMessage;
import dev.linegate.simulator.mqtt.MqttPlc;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * MQTT 5 against a real mosquitto (Moquette speaks 3.1.1 only): the persistent session with a
 * session expiry keeps batches published while the gateway is away.
 */
class MqttV5IT {

  @TempDir Path dir;

  @Test
  void anMqtt5LineKeepsItsSessionAcrossAGatewayRestart() throws Exception {
    int httpPort = TestConfig.freePort();
    GatewayApi api = new GatewayApi(httpPort, dir.resolve("data"));
    try (Mosquitto mosquitto = Mosquitto.start(dir);
        SimulatedErp erp = SimulatedErp.start(0)) {
      String broker = mosquitto.url();
      Path config = TestConfig.write(dir, httpPort, broker, "5", "url: " + erp.url());
      Gateway gateway = InProcessGateway.start(config);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> api.call("GET", "/health").status() == 200);
      try (MqttPlc plc = MqttPlc.connect(broker, MqttPlc.DEFAULT_TOPIC)) {
        BatchMessage first =
            plc.publish("L1", plc.nextBatchId("L1"), TestConfig.WIDGET, 3)
                .get(10, TimeUnit.SECONDS);
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> api.lotOfBatch("L1", first.batchId()).isPresent());

        gateway.close();
        List<BatchMessage> whileDown = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
          whileDown.add(
              plc.publish("L2", plc.nextBatchId("L2"), TestConfig.WIDGET, 2)
                  .get(10, TimeUnit.SECONDS));
        }
        gateway = InProcessGateway.start(config);
        await().atMost(Duration.ofSeconds(30)).until(() -> api.count("/api/lots") == 11);
        for (BatchMessage batch : whileDown) {
          assertThat(api.lotOfBatch("L2", batch.batchId())).isPresent();
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> erp.events().size() == 11);
      } finally {
        gateway.close();
      }
    }
  }
}
