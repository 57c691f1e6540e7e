package dev.linegate.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.linegate.simulator.erp.ErpEvent;
import dev.linegate.simulator.erp.SimulatedErp;
import dev.linegate.simulator.mqtt.BatchMessage;
import dev.linegate.simulator.mqtt.MqttPlc;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The promise under a power cut: the gateway process is killed with SIGKILL in the middle of a
 * stream of batches and started again. No serial may be issued twice, every batch must end with
 * exactly one lot, and the ERP must end with every event.
 */
class KillNineIT {

  private static final int BATCHES = 600;

  @TempDir Path dir;

  @Test
  void killNineDuringAStreamLosesNothingAndRepeatsNothing() throws Exception {
    try (MosquittoRig rig = MosquittoRig.start(dir)) {
      SimulatedErp erp = rig.erp();
      MqttPlc plc = rig.plc();
      GatewayApi api = rig.api();
      Path config = rig.config();
      // Kept in target/ so that a failed run can be read afterwards.
      Path log = Path.of("target/kill-nine-gateway.log");
      java.nio.file.Files.deleteIfExists(log);
      GatewayProcess first = GatewayProcess.start(config, log);
      api.awaitUp(Duration.ofSeconds(60));

      List<BatchMessage> sent = Collections.synchronizedList(new ArrayList<>());
      CompletableFuture<Void> stream = CompletableFuture.runAsync(() -> publish(plc, sent));
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> api.reachable() && api.count("/api/lots") >= 100);
      first.killHard();
      assertThat(api.reachable()).isFalse();

      try (GatewayProcess second = GatewayProcess.start(config, log)) {
        stream.get(120, TimeUnit.SECONDS);
        await()
            .atMost(Duration.ofSeconds(120))
            .until(() -> api.reachable() && api.count("/api/lots") >= BATCHES);

        Map<String, JsonNode> lots = lotsByBatch(api);
        assertThat(lots).hasSize(BATCHES);
        for (BatchMessage batch : sent) {
          JsonNode lot = lots.get(batch.line() + "/" + batch.batchId());
          assertThat(lot).as(batch.batchId()).isNotNull();
          assertThat(lot.get("quantity").asInt()).isEqualTo(batch.quantity());
        }
        assertEveryLotHasExactlyItsSerials(dir.resolve("data/linegate.db"));

        await().atMost(Duration.ofSeconds(120)).until(() -> erp.events().size() >= BATCHES);
        List<ErpEvent> events = erp.events();
        assertThat(events).hasSize(BATCHES);
        Set<String> serialsAtErp = new HashSet<>();
        int serialCount = 0;
        for (ErpEvent event : events) {
          for (JsonNode serial : event.data().get("serials")) {
            serialsAtErp.add(event.data().get("gtin").asText() + "/" + serial.asText());
            serialCount++;
          }
        }
        assertThat(serialsAtErp).as("serials issued twice").hasSize(serialCount);
        assertThat(serialCount).isEqualTo(sent.stream().mapToInt(BatchMessage::quantity).sum());
      }
    }
  }

  private static void publish(MqttPlc plc, List<BatchMessage> sent) {
    try {
      for (int i = 0; i < BATCHES; i++) {
        String line = i % 2 == 0 ? "L1" : "L2";
        String product = i % 3 == 0 ? "GADGET-7" : TestConfig.WIDGET;
        sent.add(
            plc.publish(line, plc.nextBatchId(line), product, 1 + i % 20)
                .get(30, TimeUnit.SECONDS));
      }
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static Map<String, JsonNode> lotsByBatch(GatewayApi api) {
    Map<String, JsonNode> lots = new HashMap<>();
    String cursor = null;
    do {
      JsonNode page = api.get("/api/lots?limit=1000" + (cursor == null ? "" : "&before=" + cursor));
      for (JsonNode lot : page.get("items")) {
        JsonNode previous =
            lots.put(lot.get("line").asText() + "/" + lot.get("batchId").asText(), lot);
        assertThat(previous).as("a second lot for batch " + lot.get("batchId").asText()).isNull();
      }
      cursor = page.get("next").isNull() ? null : page.get("next").asText();
    } while (cursor != null);
    return lots;
  }

  private static void assertEveryLotHasExactlyItsSerials(Path database) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + database);
        ResultSet mismatched =
            c.createStatement()
                .executeQuery(
                    "SELECT l.lot, l.quantity, (SELECT count(*) FROM serials s WHERE s.lot_id = l.id) AS issued FROM lots l WHERE l.quantity <> (SELECT count(*) FROM serials s WHERE s.lot_id = l.id)")) {
      assertThat(mismatched.next())
          .as("a lot whose serial count differs from its quantity")
          .isFalse();
    }
  }
}
