package dev.linegate.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code logging.format: json}: a log shipper reads one JSON object per line, with the batch's line
 * and lot.
 */
class JsonLogsIT {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @Test
  void everyLineIsAJsonObjectAndABatchsLinesCarryItsLineAndLot() throws Exception {
    try (MqttRig rig = MqttRig.start()) {
      Path config = TestConfig.write(dir, rig.httpPort(), rig.broker().url(), rig.erp().url());
      Files.writeString(config, Files.readString(config) + "logging: { format: json }\n");
      Path log = dir.resolve("gateway.log");
      String lot;
      try (GatewayProcess gateway = GatewayProcess.start(config, log)) {
        rig.api().awaitUp(Duration.ofSeconds(60));
        lot = rig.publishAndAwaitLot("L1", TestConfig.WIDGET, 4).get("lot").asText();
        await().atMost(Duration.ofSeconds(10)).until(() -> gateway.output().contains("lot " + lot));
      }

      List<JsonNode> lines = new ArrayList<>();
      for (String line : Files.readAllLines(log)) {
        if (!line.isBlank()) {
          JsonNode parsed = JSON.readTree(line);
          assertThat(parsed.isObject()).as(line).isTrue();
          lines.add(parsed);
        }
      }
      assertThat(lines)
          .isNotEmpty()
          .allSatisfy(
              line ->
                  assertThat(
                          line.has("level")
                              && line.has("loggerName")
                              && line.has("formattedMessage")
                              && line.has("timestamp"))
                      .as(line.toString())
                      .isTrue());
      JsonNode committed =
          lines.stream()
              .filter(line -> line.path("formattedMessage").asText().contains("-> lot " + lot))
              .findFirst()
              .orElseThrow();
      assertThat(committed.path("level").asText()).isEqualTo("INFO");
      assertThat(committed.at("/mdc/line").asText()).isEqualTo("L1");
      assertThat(committed.at("/mdc/lot").asText()).isEqualTo(lot);
      // The next line logged on the same thread about something else carries no stale lot.
      assertThat(
              lines.stream()
                  .filter(line -> line.path("formattedMessage").asText().startsWith("Stopping")))
          .allSatisfy(line -> assertThat(line.at("/mdc/lot").isMissingNode()).isTrue());
    }
  }
}
