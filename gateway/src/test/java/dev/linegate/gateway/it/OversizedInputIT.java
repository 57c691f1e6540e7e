package dev.linegate.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.linegate.simulator.mqtt.BatchMessage;
import dev.linegate.simulator.mqtt.MqttPlc;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Input no PLC should send, at the heap users run with (-Xmx128m, the shaded jar in its own JVM):
 * one 20 MB message used to exhaust the heap while being parsed, so the MQTT client reconnected,
 * got the same message again, and no later batch of the line ever got a lot. A huge value made a
 * reject reason as large, stored, served and logged.
 */
class OversizedInputIT {

  private static final Duration PATIENCE = Duration.ofSeconds(60);

  /** The most /api/rejects keeps of a raw payload, plus the note of the whole size. */
  private static final int RAW_KEPT = 64 * 1024 + 40;

  @TempDir Path dir;

  @ParameterizedTest(name = "MQTT {0}")
  @ValueSource(strings = {"3.1.1", "5"})
  void aTwentyMegabyteMessageIsARejectAndTheLineGoesOn(String version) throws Exception {
    try (Wires wires = Wires.start(dir, version)) {
      // Parseable JSON with a batch id just under Jackson's 20,000,000-character limit for a
      // string.
      String huge = message(19_999_900);
      String large = message(1_000_000);
      wires.plc.publishRaw("L1", huge).get(60, TimeUnit.SECONDS);
      wires.plc.publishRaw("L1", large).get(60, TimeUnit.SECONDS);

      List<JsonNode> rejects = wires.nextBatchGetsItsLot();
      if (version.equals("5")) {
        // Above CONNECT's Maximum Packet Size: the broker drops it for the gateway and says so.
        assertThat(Files.readString(dir.resolve("mosquitto.log")))
            .contains("Dropping too large outgoing PUBLISH");
        assertThat(rejects).hasSize(1);
      } else {
        assertThat(rejects).hasSize(2);
        assertIsBoundedRejectOf(rejects.get(1), huge);
      }
      assertIsBoundedRejectOf(rejects.get(0), large);
      assertThat(wires.api.check("mqtt:L1").get("reconnects").asInt())
          .as("reconnects of the line")
          .isZero();
      assertThat(wires.api.get("/metrics").asText())
          .contains("linegate_rejects_total{line=\"L1\"} " + rejects.size() + ".0");
    }
  }

  /**
   * MQTT 3.1.1 has no Maximum Packet Size: Paho would allocate this whole, twice; it is cut as it
   * is read.
   */
  @Test
  void aMessageLargerThanTheHeapIsARejectToo() throws Exception {
    try (Wires wires = Wires.start(dir, "3.1.1")) {
      String larger = message(100 * 1024 * 1024);
      wires.plc.publishRaw("L1", larger).get(60, TimeUnit.SECONDS);

      List<JsonNode> rejects = wires.nextBatchGetsItsLot();
      assertThat(rejects).hasSize(1);
      assertIsBoundedRejectOf(rejects.get(0), larger);
      assertThat(wires.api.check("mqtt:L1").get("reconnects").asInt())
          .as("reconnects of the line")
          .isZero();
    }
  }

  @Test
  void aHugeValueMakesABoundedReasonAndLogLine() throws Exception {
    try (Wires wires = Wires.start(dir, "3.1.1")) {
      // Each under the message limit, so each is parsed and judged.
      String value = "A".repeat(60_000);
      List<String> bad =
          List.of(
              "{\"batchId\": \"" + value + "\", \"product\": \"WIDGET-100\", \"quantity\": 1}",
              "{\"batchId\": \"B-1\", \"product\": \"" + value + "\", \"quantity\": 1}",
              "{\"batchId\": \"B-2\", \"product\": \"WIDGET-100\", \"quantity\": \""
                  + value
                  + "\"}",
              "{\"batchId\": \"B-3\", \"product\": \"WIDGET-100\", \"quantity\": 1, \"completedAt\": \""
                  + value
                  + "\"}");
      for (String payload : bad) {
        wires.plc.publishRaw("L1", payload).get(10, TimeUnit.SECONDS);
      }

      List<JsonNode> rejects = wires.nextBatchGetsItsLot();
      assertThat(rejects).hasSize(bad.size());
      for (JsonNode reject : rejects) {
        assertThat(reject.get("reason").asText())
            .contains("\"" + "A".repeat(100) + "...\" (60,000 characters)")
            .hasSizeLessThan(300);
        assertThat(bad).contains(reject.get("raw").asText());
      }
      await()
          .atMost(PATIENCE)
          .until(() -> wires.gateway.output().contains("rejected: completedAt"));
      assertThat(wires.gateway.output().lines())
          .as("log lines")
          .allMatch(line -> line.length() < 1_000);
    }
  }

  private static String message(int batchIdLength) {
    return "{\"batchId\": \""
        + "A".repeat(batchIdLength)
        + "\", \"product\": \"WIDGET-100\", \"quantity\": 1}";
  }

  /** Acknowledged, counted and kept with its size, never parsed: the reason says what it was. */
  private static void assertIsBoundedRejectOf(JsonNode reject, String message) {
    String size = String.format(java.util.Locale.ROOT, "%,d", message.length());
    assertThat(reject.get("reason").asText())
        .isEqualTo(
            "message of "
                + size
                + " bytes is larger than a batch message may be (65,536 bytes); it was not read");
    String raw = reject.get("raw").asText();
    assertThat(raw)
        .hasSizeLessThan(RAW_KEPT)
        .startsWith(message.substring(0, 1000))
        .endsWith("...(" + message.length() + " bytes)");
  }

  /**
   * A real broker, the simulated PLC and ERP, and the gateway as users run it, on MQTT {@code
   * version}.
   */
  private static final class Wires implements AutoCloseable {
    private final MosquittoRig rig;
    private final GatewayProcess gateway;
    private final MqttPlc plc;
    private final GatewayApi api;

    private Wires(MosquittoRig rig, GatewayProcess gateway) {
      this.rig = rig;
      this.gateway = gateway;
      this.plc = rig.plc();
      this.api = rig.api();
    }

    static Wires start(Path dir, String version) throws Exception {
      MosquittoRig rig = MosquittoRig.start(dir);
      try {
        Wires wires =
            new Wires(rig, GatewayProcess.start(rig.config(version), dir.resolve("gateway.log")));
        rig.api().awaitUp(PATIENCE);
        return wires;
      } catch (Exception | Error e) {
        rig.close();
        throw e;
      }
    }

    /**
     * A good batch after the bad ones: it gets its lot, so the line went on. The rejects, newest
     * first.
     */
    List<JsonNode> nextBatchGetsItsLot() throws Exception {
      BatchMessage next =
          plc.publish("L1", plc.nextBatchId("L1"), TestConfig.WIDGET, 3).get(10, TimeUnit.SECONDS);
      await().atMost(PATIENCE).until(() -> api.lotOfBatch("L1", next.batchId()).isPresent());
      return java.util.stream.StreamSupport.stream(
              api.get("/api/rejects").get("items").spliterator(), false)
          .toList();
    }

    @Override
    public void close() throws Exception {
      gateway.close();
      rig.close();
    }
  }
}
