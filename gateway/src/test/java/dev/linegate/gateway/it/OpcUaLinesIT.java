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
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * OPC UA lines through the whole gateway: the PLC handshake over TCP, lots in SQLite, events at the
 * ERP.
 */
class OpcUaLinesIT {

  private static final Duration PATIENCE = Duration.ofSeconds(30);

  @TempDir Path dir;
  private OpcUaPlc plc;
  private SimulatedErp erp;
  private GatewayApi api;
  private int httpPort;

  @BeforeEach
  void start() throws Exception {
    plc =
        OpcUaPlc.start(OpcUaPlcConfig.development(0, List.of("L1", "L2"), dir.resolve("plc-pki")));
    erp = SimulatedErp.start(0);
    httpPort = TestConfig.freePort();
    api = new GatewayApi(httpPort, dir.resolve("data"));
  }

  @AfterEach
  void stop() {
    erp.close();
    plc.close();
  }

  @Test
  void batchesOnTwoLinesBecomeLotsAndThePlcReadsBackTheLotNumbers() throws Exception {
    try (Gateway gateway = start("nsu=urn:linegate:simulator:plc;s=L1.Batch.Ack")) {
      CompletableFuture<String> first = plc.raise("L1", "B-1", TestConfig.WIDGET, 12);
      CompletableFuture<String> second = plc.raise("L2", "B-1", TestConfig.WIDGET, 5);
      CompletableFuture<String> third = plc.raise("L1", "B-2", TestConfig.WIDGET, 3);

      assertThat(first.get(30, TimeUnit.SECONDS))
          .isEqualTo(api.lotOfBatch("L1", "B-1").orElseThrow().get("lot").asText());
      assertThat(second.get(30, TimeUnit.SECONDS))
          .isEqualTo(api.lotOfBatch("L2", "B-1").orElseThrow().get("lot").asText());
      assertThat(third.get(30, TimeUnit.SECONDS))
          .isEqualTo(api.lotOfBatch("L1", "B-2").orElseThrow().get("lot").asText())
          .isNotEqualTo(first.get());
      assertThat(api.lotOfBatch("L1", "B-1").orElseThrow().get("quantity").asInt()).isEqualTo(12);
      await().atMost(PATIENCE).until(() -> erp.events().size() == 3);
      await().atMost(PATIENCE).until(() -> !plc.state("L1").ack() && !plc.state("L1").ready());
      await()
          .atMost(PATIENCE)
          .untilAsserted(
              () ->
                  assertThat(api.metrics())
                      .contains("linegate_opcua_handshake_state{line=\"L1\",state=\"idle\"} 1.0")
                      .contains(
                          "linegate_opcua_handshake_state{line=\"L1\",state=\"waiting_for_ready_drop\"} 0.0")
                      .contains("linegate_opcua_handshakes_total{line=\"L1\"} 2.0")
                      .contains("linegate_opcua_handshakes_total{line=\"L2\"} 1.0"));
      JsonNode health = api.call("GET", "/health").body();
      assertThat(health.get("status").asText()).isEqualTo("UP");
      assertThat(health.get("checks").findValuesAsText("name")).contains("opcua:L1", "opcua:L2");
    }
  }

  @Test
  void badValuesFromThePlcBecomeRejectsAndTheLineGoesOn() throws Exception {
    try (Gateway gateway = start("nsu=urn:linegate:simulator:plc;s=L1.Batch.Ack")) {
      plc.raiseRaw("L1", new Variant("B-neg"), new Variant(TestConfig.WIDGET), new Variant(-3))
          .get(30, TimeUnit.SECONDS);
      plc.raiseRaw("L1", new Variant(""), new Variant(TestConfig.WIDGET), new Variant(3))
          .get(30, TimeUnit.SECONDS);
      plc.raiseRaw("L1", new Variant("B-double"), new Variant(TestConfig.WIDGET), new Variant(2.5))
          .get(30, TimeUnit.SECONDS);
      plc.raiseWithBadQuantity(
              "L1", "B-bad", TestConfig.WIDGET, new StatusCode(StatusCodes.Bad_SensorFailure))
          .get(30, TimeUnit.SECONDS);
      String lot = plc.raise("L1", "B-good", TestConfig.WIDGET, 4).get(30, TimeUnit.SECONDS);

      assertThat(lot).isEqualTo(api.lotOfBatch("L1", "B-good").orElseThrow().get("lot").asText());
      assertThat(api.get("/api/rejects").get("items").findValuesAsText("reason"))
          .hasSize(4)
          .anyMatch(r -> r.startsWith("quantity -3 is out of range"))
          .anyMatch(r -> r.startsWith("batchId must be a string of 1 to 64"))
          .anyMatch(r -> r.equals("quantity must be a whole number, not 2.5"))
          .anyMatch(r -> r.startsWith("read with a Bad status: quantity Bad_SensorFailure"));
      assertThat(api.count("/api/lots")).isEqualTo(1);
    }
  }

  /**
   * A handshake cut between commit and ack: the first gateway commits the lot but cannot write ack
   * (its ack node is the server's read-only Server.Auditing Boolean), as if it died right after the
   * commit. The next gateway finds ready still held and completes the handshake with the same lot,
   * not a second one.
   */
  @Test
  void aHandshakeCutBetweenCommitAndAckIsCompletedWithTheSameLot() throws Exception {
    CompletableFuture<String> readBack = plc.raise("L1", "B-cut", TestConfig.WIDGET, 7);
    String lot;
    try (Gateway cut = start("ns=0;i=2994")) {
      await().atMost(PATIENCE).until(() -> api.lotOfBatch("L1", "B-cut").isPresent());
      lot = api.lotOfBatch("L1", "B-cut").orElseThrow().get("lot").asText();
      assertThat(plc.state("L1").ready()).isTrue();
      assertThat(plc.state("L1").ack()).isFalse();
      assertThat(readBack).isNotDone();
      // The metrics say where the line is stuck: ack refused, the handshake read again after a
      // backoff.
      await()
          .atMost(PATIENCE)
          .untilAsserted(
              () ->
                  assertThat(api.metrics())
                      .contains(
                          "linegate_opcua_handshake_state{line=\"L1\",state=\"retry_wait\"} 1.0")
                      .contains("linegate_opcua_handshake_state{line=\"L1\",state=\"idle\"} 0.0")
                      .contains("linegate_opcua_handshakes_total{line=\"L1\"} 0.0"));
    }
    try (Gateway whole = start("nsu=urn:linegate:simulator:plc;s=L1.Batch.Ack")) {
      assertThat(readBack.get(30, TimeUnit.SECONDS)).isEqualTo(lot);
      assertThat(api.count("/api/lots")).isEqualTo(1);
      await().atMost(PATIENCE).until(() -> erp.events().size() == 1);
      // Counted once the write of ack returns, which may be just after the PLC has seen it.
      await()
          .atMost(PATIENCE)
          .untilAsserted(
              () ->
                  assertThat(api.metrics())
                      .contains("linegate_opcua_handshakes_total{line=\"L1\"} 1.0"));
    }
  }

  @Test
  void thePlcRestartingMidRunLosesNoBatchAndRepeatsNone() throws Exception {
    try (Gateway gateway = start("nsu=urn:linegate:simulator:plc;s=L1.Batch.Ack")) {
      assertThat(plc.raise("L1", "B-before", TestConfig.WIDGET, 2).get(30, TimeUnit.SECONDS))
          .isNotBlank();
      plc.stop();
      await().atMost(PATIENCE).until(() -> api.call("GET", "/health").status() == 503);
      CompletableFuture<String> during = plc.raise("L1", "B-during", TestConfig.WIDGET, 2);
      plc.start();
      assertThat(during.get(60, TimeUnit.SECONDS))
          .isEqualTo(api.lotOfBatch("L1", "B-during").orElseThrow().get("lot").asText());
      plc.dropSessions();
      assertThat(plc.raise("L1", "B-after", TestConfig.WIDGET, 2).get(60, TimeUnit.SECONDS))
          .isNotBlank();
      assertThat(api.count("/api/lots")).isEqualTo(3);
      await().atMost(PATIENCE).until(() -> api.call("GET", "/health").status() == 200);
    }
  }

  /**
   * A fast PLC raises the next batch as soon as ack drops. Ready then goes up and down between two
   * samples of the subscription, which never reports it: the gateway must look by itself.
   */
  @Test
  void aFastPlcRaisingBatchesBackToBackIsNeverLeftWaiting() throws Exception {
    try (Gateway gateway = start("nsu=urn:linegate:simulator:plc;s=L1.Batch.Ack")) {
      List<CompletableFuture<String>> lots = new java.util.ArrayList<>();
      for (int i = 0; i < 200; i++) {
        lots.add(plc.raise(i % 2 == 0 ? "L1" : "L2", "B-fast-" + i, TestConfig.WIDGET, 1));
      }
      CompletableFuture.allOf(lots.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
      assertThat(lots.stream().map(CompletableFuture::join).distinct()).hasSize(200);
      assertThat(api.count("/api/lots")).isEqualTo(200);
    }
  }

  private Gateway start(String l1Ack) throws Exception {
    Path config = TestConfig.writeOpcUa(dir, httpPort, plc.endpointUrl(), erp.url(), l1Ack);
    return InProcessGateway.start(config);
  }
}
