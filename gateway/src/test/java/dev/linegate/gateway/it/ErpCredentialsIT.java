package dev.linegate.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.linegate.gateway.Gateway;
import dev.linegate.simulator.erp.SimulatedErp;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An ERP that refuses the gateway's credentials (SPEC section 12): {@code erp.headers} carries
 * them, from the environment; a 401 or 403 pauses delivery with an alarm in /health rather than
 * turning the backlog into dead letters, and delivery resumes once the ERP takes them.
 */
class ErpCredentialsIT {

  private static final String TOKEN = "erp-Token-0815";

  @TempDir Path dir;

  @Test
  void refusedCredentialsPauseDeliveryWithAnAlarmAndNoDeadLetters() throws Exception {
    try (MosquittoRig rig = MosquittoRig.start(dir)) {
      SimulatedErp erp = rig.erp();
      GatewayApi api = rig.api();
      erp.requireAuthorization("Bearer rotated-elsewhere");
      Path config = rig.config();
      Files.writeString(
          config,
          Files.readString(config)
              .replace(
                  "  retry: { initialMs: 100, maxMs: 1000 }",
                  "  retry: { initialMs: 100, maxMs: 1000 }\n"
                      + "  headers: { Authorization: \"Bearer ${ERP_TOKEN}\" }"));
      Path log = dir.resolve("gateway.log");
      try (GatewayProcess gateway = GatewayProcess.start(config, log, Map.of("ERP_TOKEN", TOKEN))) {
        api.awaitUp(Duration.ofSeconds(30));
        for (int i = 0; i < 5; i++) {
          rig.plc()
              .publish("L1", rig.plc().nextBatchId("L1"), TestConfig.WIDGET, 2)
              .get(10, TimeUnit.SECONDS);
        }
        awaitRefused(api, 403);
        assertThat(api.check("erp").path("state").asText()).isEqualTo("DOWN");
        assertThat(api.count("/api/outbox?state=dead")).isZero();
        assertThat(erp.events()).isEmpty();
        assertThat(api.call("GET", "/health").body().toString()).doesNotContain(TOKEN);
        assertThat(api.call("GET", "/api/outbox?state=pending").body().toString())
            .doesNotContain(TOKEN);

        // The ERP's side is put right: the probes find it, and the backlog follows.
        erp.requireAuthorization("Bearer " + TOKEN);
        await().atMost(Duration.ofSeconds(30)).until(() -> erp.events().size() == 5);
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> api.check("erp").path("state").asText().equals("UP"));
        assertThat(api.count("/api/outbox?state=dead")).isZero();
      }
      // The outage was logged, the token nowhere: not in the log, the database or the record.
      assertThat(Files.readString(log)).contains("refuses the gateway's credentials");
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path file : files.filter(Files::isRegularFile).toList()) {
          assertThat(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1))
              .as(file.toString())
              .doesNotContain(TOKEN);
        }
      }
    }
  }

  @Test
  void anErpThatWantsCredentialsTheGatewayDoesNotSendIsAnAlarmNotDeadLetters() throws Exception {
    try (MosquittoRig rig = MosquittoRig.start(dir)) {
      rig.erp().requireAuthorization("Bearer " + TOKEN);
      try (Gateway gateway = InProcessGateway.start(rig.config())) {
        rig.api().awaitUp(Duration.ofSeconds(30));
        rig.plc()
            .publish("L1", rig.plc().nextBatchId("L1"), TestConfig.WIDGET, 2)
            .get(10, TimeUnit.SECONDS);
        awaitRefused(rig.api(), 401);
        assertThat(rig.api().count("/api/outbox?state=dead")).isZero();
      }
    }
  }

  /** Waits until /health's erp check says the ERP refuses the credentials with {@code status}. */
  private static void awaitRefused(GatewayApi api, int status) {
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(api.check("erp").path("detail").asText())
                    .contains("HTTP " + status, "refuses the gateway's credentials"));
  }
}
