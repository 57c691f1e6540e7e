package dev.linegate.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an engineer sees from the real jar when the configuration is wrong: exit 2 and the keys
 * named.
 */
class ConfigExitIT {

  @TempDir Path dir;

  @Test
  void aBrokenConfigurationStopsStartUpWithExitTwoNamingEveryKey() throws Exception {
    Path config =
        TestConfig.write(
            dir, TestConfig.freePort(), "tcp://127.0.0.1:1883", "http://127.0.0.1:8081/api/events");
    String broken =
        Files.readString(config)
            .replace("  id: edge-test\n", "")
            .replace("09506000134352", "09506000134353")
            .replace("{line}{yy}{julian}{seq:4}", "{line}-{product}-{yyyy}{MM}{dd}{seq:4}")
            .replace("port: " + config.getFileName(), "")
            .replaceFirst("port: \\d+", "port: http");
    Files.writeString(config, broken);
    try (GatewayProcess gateway = GatewayProcess.start(config, dir.resolve("out.log"))) {
      assertThat(gateway.waitForExit()).isEqualTo(2);
      assertThat(gateway.output())
          .contains("linegate.yaml: gateway.id: is required")
          .contains("linegate.yaml: products[0].gtin: check digit is wrong")
          .contains("linegate.yaml: lines[0].lotPattern: can produce")
          .contains("linegate.yaml: gateway.http.port: must be a whole number, not \"http\"");
    }
  }

  @Test
  void checkValidatesTheShippedDemoWithoutStarting() throws Exception {
    try (GatewayProcess gateway =
        GatewayProcess.start(Path.of("../config/demo.yaml"), dir.resolve("out.log"), "--check")) {
      assertThat(gateway.waitForExit()).as(gateway.output()).isZero();
      assertThat(gateway.output()).contains("demo.yaml: OK");
    }
  }
}
