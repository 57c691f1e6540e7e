package dev.linegate.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.linegate.gateway.Gateway;
import dev.linegate.simulator.erp.SimulatedErp;
import dev.linegate.simulator.opcua.OpcUaPlc;
import dev.linegate.simulator.opcua.OpcUaPlcConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A PLC whose server does not keep to the standard must not stop a line for good: whatever one step
 * of the handshake throws, the line says so in /health and tries again after its backoff.
 */
class OpcUaOddServerIT {

  private static final Duration PATIENCE = Duration.ofSeconds(30);

  @TempDir Path dir;

  @Test
  void aReadAnsweredWithTooFewValuesIsShownAndRetriedUntilThePlcAnswersInFull() throws Exception {
    int httpPort = TestConfig.freePort();
    GatewayApi api = new GatewayApi(httpPort, dir.resolve("data"));
    try (OpcUaPlc plc =
            OpcUaPlc.start(
                OpcUaPlcConfig.development(0, List.of("L1", "L2"), dir.resolve("plc-pki")));
        SimulatedErp erp = SimulatedErp.start(0);
        Gateway gateway =
            InProcessGateway.start(
                TestConfig.writeOpcUa(
                    dir,
                    httpPort,
                    plc.endpointUrl(),
                    erp.url(),
                    "nsu=urn:linegate:simulator:plc;s=L1.Batch.Ack"))) {
      await().atMost(PATIENCE).until(() -> api.call("GET", "/health").status() == 200);

      plc.shortReads(true);
      CompletableFuture<String> lot = plc.raise("L1", "B-odd", TestConfig.WIDGET, 3);
      await()
          .atMost(PATIENCE)
          .until(
              () ->
                  detail(api, "opcua:L1")
                      .contains("last error: reading or writing the handshake failed"));
      assertThat(detail(api, "opcua:L1")).contains("answered 1 value for 2");
      assertThat(lot).isNotDone();

      // Ready stays high, so no notification comes: only the line's own retry finds the batch.
      plc.shortReads(false);
      assertThat(lot.get(30, TimeUnit.SECONDS))
          .isEqualTo(api.lotOfBatch("L1", "B-odd").orElseThrow().get("lot").asText());
      assertThat(plc.raise("L1", "B-next", TestConfig.WIDGET, 2).get(30, TimeUnit.SECONDS))
          .isNotBlank();
      await().atMost(PATIENCE).until(() -> erp.events().size() == 2);
    }
  }

  private static String detail(GatewayApi api, String check) {
    for (JsonNode item : api.call("GET", "/health").body().get("checks")) {
      if (item.get("name").asText().equals(check)) {
        return item.get("detail").asText();
      }
    }
    throw new AssertionError("no check " + check + " in /health");
  }
}
