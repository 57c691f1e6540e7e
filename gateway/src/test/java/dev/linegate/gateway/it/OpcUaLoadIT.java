package dev.linegate.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.linegate.gateway.Gateway;
import dev.linegate.gateway.auth.Role;
import dev.linegate.simulator.load.LoadOptions;
import dev.linegate.simulator.load.LoadReport;
import dev.linegate.simulator.load.LoadRun;
import dev.linegate.simulator.mqtt.MqttPlc;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The load command's OPC UA mode against a real gateway: batches raised back to back on two lines
 * of the simulator's OPC UA PLC, through the Ready/Ack handshake over TCP, into SQLite and to the
 * ERP. What the benchmark figures rest on: every batch gets exactly one lot, and the run measures
 * the handshake.
 */
class OpcUaLoadIT {

  private static final int PER_LINE = 100;

  @TempDir Path dir;

  @Test
  void everyBatchRaisedByTheLoadRunGetsExactlyOneLotAndTheHandshakeIsMeasured() throws Exception {
    int httpPort = TestConfig.freePort();
    int erpPort = TestConfig.freePort();
    int opcuaPort = TestConfig.freePort();
    String endpoint = "opc.tcp://127.0.0.1:" + opcuaPort + "/linegate";
    Path config =
        TestConfig.writeOpcUa(
            dir,
            httpPort,
            endpoint,
            "http://127.0.0.1:" + erpPort + "/api/events",
            "nsu=urn:linegate:simulator:plc;s=L1.Batch.Ack");
    var api = new GatewayApi(httpPort, dir.resolve("data"));
    // The gateway first, as in a plant: it connects once the load run has started the PLC.
    try (Gateway gateway = InProcessGateway.start(config)) {
      LoadReport report = new LoadRun(options(httpPort, erpPort, opcuaPort)).run();

      assertThat(report.complete()).as(report.toText()).isTrue();
      assertThat(report.sent()).isEqualTo(2 * PER_LINE);
      assertThat(report.lotsFound()).isEqualTo(2 * PER_LINE);
      assertThat(report.duplicateLots()).isZero();
      assertThat(api.count("/api/lots")).isEqualTo(2 * PER_LINE);
      assertThat(report.readyToAck().samples()).isEqualTo(2 * PER_LINE);
      assertThat(report.readyToAck().p50()).isPositive();
      assertThat(report.publishedToCommitted().p50())
          .isPositive()
          .isLessThanOrEqualTo(report.readyToAck().max());
      assertThat(report.toText()).contains("OPC UA ready->ack");
      // The run has stopped its PLC: the lines keep their count and wait for the PLC to come back.
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () ->
                  assertThat(api.metrics())
                      .contains("linegate_opcua_handshakes_total{line=\"L1\"} " + PER_LINE + ".0")
                      .contains("linegate_opcua_handshakes_total{line=\"L2\"} " + PER_LINE + ".0")
                      .contains(
                          "linegate_opcua_handshake_state{line=\"L2\",state=\"connecting\"} 1.0")
                      .contains("linegate_opcua_handshake_state{line=\"L2\",state=\"idle\"} 0.0"));
    }
  }

  private static LoadOptions options(int httpPort, int erpPort, int opcuaPort) {
    return new LoadOptions(
        "tcp://127.0.0.1:1", // no MQTT line: never connected
        URI.create("http://127.0.0.1:" + httpPort),
        Optional.of(TestUsers.token(TestConfig.dataDirOf(httpPort), "load", Role.VIEWER)),
        erpPort,
        List.of(),
        MqttPlc.DEFAULT_TOPIC,
        List.of("L1", "L2"),
        opcuaPort,
        TestConfig.WIDGET,
        3,
        10_000, // far above what the handshake can do: the PLC raises back to back
        OptionalLong.of(2 * PER_LINE),
        Optional.empty(),
        false,
        Optional.empty(),
        Duration.ofSeconds(60),
        Duration.ZERO);
  }
}
