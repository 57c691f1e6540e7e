package dev.linegate.connectors.opcua;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.linegate.connectors.Secret;
import dev.linegate.connectors.opcua.OpcUaSourceConfig.Mode;
import dev.linegate.connectors.opcua.OpcUaSourceConfig.Nodes;
import dev.linegate.connectors.opcua.OpcUaSourceConfig.Policy;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Configuration mistakes are found at start-up, with the key that is wrong. */
class OpcUaSourceConfigTest {

  private static final Nodes NODES = Nodes.conventional("ns=2", "L1");

  @Test
  void everyNodeIdSyntaxIsAccepted() {
    var nodes =
        new Nodes(
            "ns=2;s=L1.Batch.Ready",
            "nsu=urn:plc;s=Id",
            "ns=3;i=1001",
            "i=2258",
            Optional.empty(),
            "ns=2;g=09087e75-8e5e-499b-954f-f2a9603db28a");
    assertThat(nodes.lot()).isEmpty();
  }

  @Test
  void aMalformedNodeIdNamesItsKey() {
    assertThatThrownBy(
            () ->
                new Nodes(
                    "ns=2;s=Ready",
                    "L1.Batch.Id",
                    "ns=2;s=P",
                    "ns=2;s=Q",
                    Optional.of("ns=x;s=Lot"),
                    "ns=2;s=Ack"))
        .hasMessageContaining("nodes.batchId")
        .hasMessageContaining("nodes.lot");
  }

  @Test
  void aPolicyNeedsASigningModeAndNoneNeedsNone() {
    var config = OpcUaSourceConfig.insecure("L1", "opc.tcp://plc:4840", NODES, Path.of("pki"));
    assertThatThrownBy(() -> config.withSecurity(Policy.Basic256Sha256, Mode.None))
        .hasMessageContaining("security");
    assertThatThrownBy(() -> config.withSecurity(Policy.None, Mode.Sign))
        .hasMessageContaining("security");
    assertThat(config.withSecurity(Policy.Aes128_Sha256_RsaOaep, Mode.SignAndEncrypt).policy())
        .isEqualTo(Policy.Aes128_Sha256_RsaOaep);
  }

  @Test
  void linesOnOneEndpointShareASessionOnlyWhenEverythingAgrees() {
    var l1 = OpcUaSourceConfig.insecure("L1", "opc.tcp://plc:4840", NODES, Path.of("pki"));
    var l2 =
        OpcUaSourceConfig.insecure(
            "L2", "opc.tcp://plc:4840", Nodes.conventional("ns=2", "L2"), Path.of("pki"));
    assertThat(l1.endpointConfig()).isEqualTo(l2.endpointConfig());
    assertThat(l1.endpointConfig())
        .isNotEqualTo(l2.withUser("u", new Secret("p")).endpointConfig());
    assertThat(l1.withUser("u", new Secret("p")).endpointConfig().toString())
        .doesNotContain("p,")
        .contains("*****");
  }

  @Test
  void anEndpointMustBeOpcTcp() {
    assertThatThrownBy(
            () -> OpcUaSourceConfig.insecure("L1", "http://plc:4840", NODES, Path.of("pki")))
        .hasMessageContaining("endpoint");
  }
}
