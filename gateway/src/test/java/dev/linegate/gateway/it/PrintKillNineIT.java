package dev.linegate.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.linegate.simulator.erp.SimulatedErp;
import dev.linegate.simulator.mqtt.EmbeddedBroker;
import dev.linegate.simulator.mqtt.MqttPlc;
import dev.linegate.simulator.printer.SimulatedPrinter;
import dev.linegate.simulator.serial.VirtualSerialPair;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The promise of no silent double print under a power cut: the gateway is killed with SIGKILL while
 * the printer still has labels of the job in its buffer. After the restart every serial has been
 * printed once or is listed as uncertain, none twice; the operator settles the uncertain ones and
 * every serial ends printed exactly once.
 */
class PrintKillNineIT {

  private static final Duration PATIENCE = Duration.ofSeconds(60);
  private static final int UNITS = 50;

  @TempDir Path dir;

  @Test
  void killNineDuringAJobNeverPrintsASerialTwiceSilently() throws Exception {
    int httpPort = TestConfig.freePort();
    GatewayApi api = new GatewayApi(httpPort, dir.resolve("data"));
    try (EmbeddedBroker broker = EmbeddedBroker.start("127.0.0.1", 0);
        SimulatedErp erp = SimulatedErp.start(0);
        MqttPlc plc = MqttPlc.connect(broker.url(), MqttPlc.DEFAULT_TOPIC);
        VirtualSerialPair cable = VirtualSerialPair.create(dir, "p1");
        SimulatedPrinter printer = SimulatedPrinter.start().listenSerial(cable.b());
        SimulatedPrinter lotPrinter = SimulatedPrinter.start()) {
      // Slow enough that the printer still holds labels when the gateway comes back.
      printer.speed(5);
      Path config =
          TestConfig.writeLabelled(
              dir,
              httpPort,
              broker.url(),
              erp.url(),
              cable.a().toString(),
              "tcp://127.0.0.1:" + lotPrinter.listenTcp(0));
      Path log = Path.of("target/print-kill-nine-gateway.log");
      Files.deleteIfExists(log);
      String batchId = plc.nextBatchId("L1");
      try (GatewayProcess first = GatewayProcess.start(config, log)) {
        await()
            .atMost(PATIENCE)
            .untilAsserted(() -> assertThat(printerCheck(api)).contains("\"status\":\"UP\""));
        // A QoS 1 message published before the gateway subscribed would reach nobody.
        broker.subscribed("plant/L1/batch-complete").get(60, TimeUnit.SECONDS);
        plc.publish("L1", batchId, TestConfig.WIDGET, UNITS).get(10, TimeUnit.SECONDS);
        await().atMost(PATIENCE).until(() -> printer.labels().size() >= 10);
        first.killHard();
      }

      try (GatewayProcess second = GatewayProcess.start(config, log)) {
        await().atMost(PATIENCE).until(api::reachable);
        String lot = api.lotOfBatch("L1", batchId).orElseThrow().get("lot").asText();
        // Done when every serial is printed or waiting for an operator, and the printer is idle.
        await()
            .atMost(PATIENCE)
            .until(
                () ->
                    printed(api, lot) + uncertain(api).size() == UNITS
                        && printer.labelsRemaining() == 0);

        List<String> serials = serialsOf(api, lot);
        Map<String, Integer> timesPrinted = timesPrinted(printer);
        assertThat(timesPrinted.values()).as("no serial printed twice").allMatch(n -> n == 1);
        Map<Long, String> uncertain = uncertain(api);
        for (String serial : serials) {
          String status = api.get("/api/serials/" + serial).get("status").asText();
          if (status.equals("printed")) {
            assertThat(timesPrinted)
                .as("a serial marked printed came out of the printer")
                .containsKey(serial);
          } else {
            assertThat(uncertain)
                .as("a serial not printed is listed for the operator")
                .containsValue(serial);
          }
        }

        // The operator looks at the printer's output and settles each uncertain label.
        for (Map.Entry<Long, String> label : uncertain.entrySet()) {
          boolean cameOut = timesPrinted.containsKey(label.getValue());
          GatewayApi.Answer settled =
              api.post(
                  "/api/labels/uncertain/" + label.getKey() + "/settle",
                  "{\"printed\": " + cameOut + "}");
          assertThat(settled.status()).isEqualTo(200);
        }
        await()
            .atMost(PATIENCE)
            .until(() -> printed(api, lot) == UNITS && printer.labelsRemaining() == 0);
        assertThat(timesPrinted(printer))
            .hasSize(UNITS)
            .allSatisfy((serial, n) -> assertThat(n).isEqualTo(1));
        assertThat(uncertain(api)).isEmpty();
      }
    }
  }

  /** The printer's health check as the gateway reports it, or why there is none yet. */
  private static String printerCheck(GatewayApi api) {
    if (!api.reachable()) {
      return "gateway not reachable";
    }
    JsonNode health = api.call("GET", "/health").body();
    for (JsonNode check : health.path("checks")) {
      if (check.get("name").asText().equals("printer:P1")) {
        return check.toString();
      }
    }
    return "no printer:P1 check in " + health;
  }

  private static int printed(GatewayApi api, String lot) {
    return api.get("/api/lots/" + lot).at("/serialCounts/printed").asInt();
  }

  private static Map<Long, String> uncertain(GatewayApi api) {
    Map<Long, String> labels = new HashMap<>();
    api.get("/api/labels/uncertain?limit=1000")
        .get("items")
        .forEach(label -> labels.put(label.get("id").asLong(), label.get("serial").asText()));
    return labels;
  }

  private static List<String> serialsOf(GatewayApi api, String lot) {
    List<String> serials = new ArrayList<>();
    api.get("/api/lots/" + lot + "/serials?limit=1000")
        .get("items")
        .forEach(s -> serials.add(s.get("serial").asText()));
    return serials;
  }

  private static Map<String, Integer> timesPrinted(SimulatedPrinter printer) {
    Map<String, Integer> times = new HashMap<>();
    printer.labels().forEach(label -> times.merge(LabelsIT.serialOn(label), 1, Integer::sum));
    return times;
  }
}
