package dev.linegate.connectors.opcua;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.linegate.connectors.ConnectorStatus.State;
import dev.linegate.connectors.Secret;
import dev.linegate.connectors.opcua.OpcUaSourceConfig.Mode;
import dev.linegate.connectors.opcua.OpcUaSourceConfig.Policy;
import dev.linegate.simulator.opcua.OpcUaPlc;
import dev.linegate.simulator.opcua.OpcUaPlcConfig;
import dev.linegate.simulator.opcua.OpcUaPlcConfig.Security;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.types.enumerated.MessageSecurityMode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Signed and encrypted sessions with a user login, and the trust of server certificates. */
class OpcUaSecurityIT {

  @TempDir Path dir;

  private OpcUaPlc plc;
  private RecordingGateway gateway;
  private Path pki;

  @BeforeEach
  void startPlc() throws Exception {
    plc =
        OpcUaPlc.start(
            OpcUaPlcConfig.development(0, List.of("L1"), dir.resolve("plc-pki"))
                .withEndpoints(
                    new Security(SecurityPolicy.Basic256Sha256, MessageSecurityMode.SignAndEncrypt),
                    new Security(SecurityPolicy.Aes128_Sha256_RsaOaep, MessageSecurityMode.Sign))
                .withUser("gateway", "s3cret"));
    gateway = RecordingGateway.committing();
    pki = dir.resolve("pki");
  }

  @AfterEach
  void stopPlc() {
    gateway.close();
    plc.close();
  }

  private OpcUaSourceConfig secure(Policy policy, Mode mode, String password) {
    return OpcUaBatchSourceIT.config(plc, "L1", pki)
        .withSecurity(policy, mode)
        .withUser("gateway", new Secret(password));
  }

  private void trustServer() throws Exception {
    Files.createDirectories(pki.resolve("trusted/certs"));
    Files.copy(plc.certificateFile().orElseThrow(), pki.resolve("trusted/certs/plc.der"));
  }

  @Test
  void signAndEncryptWithAUserWorksWhenTheServerCertificateIsTrusted() throws Exception {
    trustServer();
    try (var connections = new OpcUaConnections()) {
      var source = connections.source(secure(Policy.Basic256Sha256, Mode.SignAndEncrypt, "s3cret"));
      source.start(gateway);
      assertThat(plc.raise("L1", "B-1", "WIDGET-100", 4).get(20, TimeUnit.SECONDS))
          .isEqualTo("LOT-B-1");
      assertThat(source.status().detail())
          .contains("Basic256Sha256/SignAndEncrypt", "user gateway")
          .doesNotContain("s3cret");
    }
  }

  @Test
  void aes128SignWorksToo() throws Exception {
    trustServer();
    try (var connections = new OpcUaConnections()) {
      connections.source(secure(Policy.Aes128_Sha256_RsaOaep, Mode.Sign, "s3cret")).start(gateway);
      assertThat(plc.raise("L1", "B-1", "WIDGET-100", 4).get(20, TimeUnit.SECONDS))
          .isEqualTo("LOT-B-1");
    }
  }

  /** The operator's way to trust a PLC: move its certificate from rejected/ to trusted/. */
  @Test
  void anUntrustedServerIsRefusedUntilItsCertificateIsMovedToTrusted() throws Exception {
    try (var connections = new OpcUaConnections()) {
      var source = connections.source(secure(Policy.Basic256Sha256, Mode.SignAndEncrypt, "s3cret"));
      source.start(gateway);

      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () ->
                  source.status().state() == State.DOWN
                      && source.status().detail().contains("not trusted"));
      assertThat(source.status().detail())
          .contains(pki.resolve("rejected").resolve("certs").toString(), "trusted");
      Path rejected = pki.resolve("rejected/certs");
      List<Path> files;
      try (Stream<Path> list = Files.list(rejected)) {
        files = list.toList();
      }
      assertThat(files).hasSize(1);
      assertThat(Files.readAllBytes(files.get(0)))
          .isEqualTo(plc.certificate().orElseThrow().getEncoded());
      assertThat(plc.sessionCount()).isZero();

      Files.move(files.get(0), pki.resolve("trusted/certs").resolve(files.get(0).getFileName()));
      assertThat(plc.raise("L1", "B-1", "WIDGET-100", 4).get(20, TimeUnit.SECONDS))
          .isEqualTo("LOT-B-1");
    }
  }

  @Test
  void aWrongPasswordIsReportedAsARefusedLogin() throws Exception {
    trustServer();
    try (var connections = new OpcUaConnections()) {
      var source = connections.source(secure(Policy.Basic256Sha256, Mode.SignAndEncrypt, "wrong"));
      source.start(gateway);
      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () ->
                  source.status().state() == State.DOWN
                      && source.status().detail().contains("login refused"));
      assertThat(source.status().detail()).doesNotContain("wrong");
    }
  }

  /** A PLC that trusted the gateway's certificate must go on trusting it after a restart. */
  @Test
  void theClientCertificateIsCreatedOnceAndReused() throws Exception {
    trustServer();
    Path keyStore = pki.resolve("own/linegate-client.pfx");
    byte[] first;
    try (var connections = new OpcUaConnections()) {
      connections
          .source(secure(Policy.Basic256Sha256, Mode.SignAndEncrypt, "s3cret"))
          .start(gateway);
      plc.raise("L1", "B-1", "WIDGET-100", 4).get(20, TimeUnit.SECONDS);
      first = Files.readAllBytes(keyStore);
    }
    byte[] derFirst = Files.readAllBytes(pki.resolve("own/certs/linegate-client.der"));
    try (var connections = new OpcUaConnections()) {
      connections
          .source(secure(Policy.Basic256Sha256, Mode.SignAndEncrypt, "s3cret"))
          .start(gateway);
      plc.raise("L1", "B-2", "WIDGET-100", 4).get(20, TimeUnit.SECONDS);
    }
    assertThat(Files.readAllBytes(keyStore)).isEqualTo(first);
    assertThat(Files.readAllBytes(pki.resolve("own/certs/linegate-client.der")))
        .isEqualTo(derFirst);
  }

  @Test
  void aSecurityTheServerDoesNotOfferIsExplained() throws Exception {
    trustServer();
    try (var connections = new OpcUaConnections()) {
      var source = connections.source(secure(Policy.Basic256Sha256, Mode.Sign, "s3cret"));
      source.start(gateway);
      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () ->
                  source.status().state() == State.DOWN
                      && source.status().detail().contains("offers no endpoint"));
      assertThat(source.status().detail()).contains("Basic256Sha256/SignAndEncrypt");
    }
  }
}
