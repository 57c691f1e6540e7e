package dev.linegate.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.linegate.gateway.Gateway;
import dev.linegate.simulator.erp.SimulatedErp;
import dev.linegate.simulator.mqtt.BatchMessage;
import dev.linegate.simulator.mqtt.MqttPlc;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * MQTT lines over TLS to a real mosquitto with a private CA (SPEC section 12): the broker asks for
 * a client certificate and a password, the gateway checks the broker's certificate and its name.
 * The simulated PLC publishes on the broker's plain listener; only the gateway's side is TLS.
 */
class MqttTlsIT {

  private static final String PASSWORD = "mqtt-Secret-4711";

  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"3.1.1", "5"})
  void aLineOverTlsWithAClientCertificateAndAPasswordFromTheEnvironmentCommitsItsBatches(
      String version) throws Exception {
    TestCertificates.Pem pem = TestCertificates.write(dir, "plant");
    int httpPort = TestConfig.freePort();
    GatewayApi api = new GatewayApi(httpPort, dir.resolve("data"));
    try (Mosquitto mosquitto = Mosquitto.startWithTls(dir, pem, "linegate", PASSWORD);
        SimulatedErp erp = SimulatedErp.start(0)) {
      Path config = write(httpPort, mosquitto.tlsUrl(), version, pem, pem.clientCert(), erp);
      Path log = dir.resolve("gateway.log");
      try (GatewayProcess gateway =
              GatewayProcess.start(config, log, Map.of("MQTT_PASSWORD", PASSWORD));
          MqttPlc plc = MqttPlc.connect(mosquitto.url(), MqttPlc.DEFAULT_TOPIC)) {
        api.awaitUp(Duration.ofSeconds(30));
        assertThat(api.check("mqtt:L1").path("detail").asText()).contains("ssl://localhost");
        BatchMessage batch =
            plc.publish("L1", plc.nextBatchId("L1"), TestConfig.WIDGET, 3)
                .get(10, TimeUnit.SECONDS);
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> api.lotOfBatch("L1", batch.batchId()).isPresent());
        await().atMost(Duration.ofSeconds(30)).until(() -> erp.events().size() == 1);
        assertThat(api.call("GET", "/health").body().toString()).doesNotContain(PASSWORD);
      }
      assertThat(mosquitto.connects("linegate-edge-test-L1")).isPositive();
      // The log, the database and everything else the gateway wrote.
      assertThat(Files.readString(log)).contains("lot").doesNotContain(PASSWORD);
      assertThat(everythingWritten()).doesNotContain(PASSWORD);
    }
  }

  @Test
  void aBrokerSignedByAnotherCaKeepsTheLineDownWithTheReason() throws Exception {
    // The gateway's own certificate is the plant's; only the CA it trusts is wrong.
    TestCertificates.Pem plant = TestCertificates.write(dir, "plant");
    assertLineStaysDown(plant, TestCertificates.write(dir, "other"), "certificat");
  }

  @Test
  void aBrokerWhoseCertificateNamesAnotherHostKeepsTheLineDown() throws Exception {
    // Signed by the CA the gateway trusts, but for another name than the one it connects to.
    TestCertificates.Pem plant = TestCertificates.write(dir, "plant", "broker.elsewhere.example");
    assertLineStaysDown(plant, plant, "matching localhost");
  }

  /**
   * A broker with {@code broker}'s certificates, a gateway that trusts {@code trusted}'s CA and
   * presents {@code broker}'s client certificate: the line stays DOWN saying {@code reason}, and
   * the broker never sees it connect.
   */
  private void assertLineStaysDown(
      TestCertificates.Pem broker, TestCertificates.Pem trusted, String reason) throws Exception {
    int httpPort = TestConfig.freePort();
    GatewayApi api = new GatewayApi(httpPort, dir.resolve("data"));
    try (Mosquitto mosquitto = Mosquitto.startWithTls(dir, broker, "linegate", PASSWORD);
        SimulatedErp erp = SimulatedErp.start(0)) {
      Path config = write(httpPort, mosquitto.tlsUrl(), "3.1.1", trusted, broker.clientCert(), erp);
      try (Gateway gateway = InProcessGateway.start(config, Map.of("MQTT_PASSWORD", PASSWORD))) {
        await()
            .atMost(Duration.ofSeconds(30))
            .untilAsserted(
                () ->
                    assertThat(api.check("mqtt:L1").path("detail").asText())
                        .contains("connect failed")
                        .containsIgnoringCase(reason));
        assertThat(api.check("mqtt:L1").path("status").asText()).isEqualTo("DOWN");
        assertThat(mosquitto.connects("linegate-edge-test-L1")).isZero();
      }
    }
  }

  private Path write(
      int httpPort,
      String broker,
      String version,
      TestCertificates.Pem trusted,
      Path clientCert,
      SimulatedErp erp)
      throws Exception {
    String lines =
        """
          - id: L1
            lotPattern: "{line}{yy}{julian}{seq:4}"
            source:
              mqtt:
                broker: "%s"
                version: "%s"
                topic: plant/L1/batch-complete
                username: linegate
                password: ${MQTT_PASSWORD}
                tls: { ca: "%s", cert: "%s", key: "%s" }
        """
            .formatted(
                broker,
                version,
                trusted.ca(),
                clientCert,
                clientCert.resolveSibling(
                    clientCert.getFileName().toString().replace(".pem", "-key.pem")));
    return TestConfig.writeLines(dir, httpPort, lines, "url: " + erp.url());
  }

  /** What the gateway, the broker and the test wrote (the broker keeps only a hash). */
  private String everythingWritten() throws Exception {
    StringBuilder all = new StringBuilder();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        all.append(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1));
      }
    }
    return all.toString();
  }
}
