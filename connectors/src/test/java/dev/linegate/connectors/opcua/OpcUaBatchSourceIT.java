package dev.linegate.connectors.opcua;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.linegate.connectors.Backoff;
import dev.linegate.connectors.ConnectorStatus.State;
import dev.linegate.connectors.batch.BatchSignal;
import dev.linegate.simulator.opcua.OpcUaPlc;
import dev.linegate.simulator.opcua.OpcUaPlcConfig;
import dev.linegate.simulator.opcua.QuantityType;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The OPC UA handshake against the simulated PLC over real TCP. */
class OpcUaBatchSourceIT {

  static final Backoff FAST = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1));
  static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir Path dir;

  private final List<AutoCloseable> open = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
  }

  private <T extends AutoCloseable> T closing(T resource) {
    open.add(resource);
    return resource;
  }

  private OpcUaPlc plc(String... lines) throws Exception {
    return closing(
        OpcUaPlc.start(OpcUaPlcConfig.development(0, List.of(lines), dir.resolve("plc-pki"))));
  }

  static OpcUaSourceConfig config(OpcUaPlc plc, String line, Path pkiDir) {
    return OpcUaSourceConfig.insecure(
            line,
            plc.endpointUrl(),
            OpcUaSourceConfig.Nodes.conventional("ns=" + plc.namespaceIndex(), line),
            pkiDir)
        .withTiming(FAST, Duration.ofMillis(100), Duration.ofSeconds(2));
  }

  private OpcUaBatchSource start(
      OpcUaConnections connections, OpcUaSourceConfig config, RecordingGateway gateway) {
    OpcUaBatchSource source = connections.source(config);
    source.start(gateway);
    return source;
  }

  /** The everyday path, two lines on one PLC sharing one session. */
  @Test
  void twoLinesOnOneEndpointCompleteTheHandshakeAndGoOnToTheNextBatch() throws Exception {
    OpcUaPlc plc = plc("L1", "L2");
    var gateway = closing(RecordingGateway.silent());
    var connections = closing(new OpcUaConnections());
    var l1 = start(connections, config(plc, "L1", dir.resolve("pki")), gateway);
    var l2 = start(connections, config(plc, "L2", dir.resolve("pki")), gateway);
    await().atMost(WAIT).until(() -> l1.status().up() && l2.status().up());
    assertThat(plc.sessionCount()).isEqualTo(1);

    CompletableFuture<String> b1 = plc.raise("L1", "B-1", "WIDGET-100", 24);
    CompletableFuture<String> b2 = plc.raise("L2", "B-2", "GADGET-7", 3);
    await().atMost(WAIT).until(() -> gateway.signals().size() == 2);
    assertThat(gateway.payloads("L1"))
        .containsExactly("{\"batchId\": \"B-1\", \"product\": \"WIDGET-100\", \"quantity\": 24}");
    assertThat(gateway.payloads("L2"))
        .containsExactly("{\"batchId\": \"B-2\", \"product\": \"GADGET-7\", \"quantity\": 3}");
    BatchSignal signal1 =
        gateway.signals().stream().filter(s -> s.line().equals("L1")).findFirst().orElseThrow();
    assertThat(signal1.origin()).isEqualTo("opcua " + plc.endpointUrl() + " L1");
    assertThat(l1.lineState().phase()).isEqualTo(OpcUaLineState.Phase.PROCESSING);
    assertThat(l1.status().detail()).contains("processing batch B-1");

    // Nothing is acknowledged before the commit: Ready stays held, Ack stays down.
    assertThat(plc.state("L1").ack()).isFalse();
    assertThat(plc.state("L1").ready()).isTrue();

    signal1.acknowledgment().committed(Optional.of("L1-LOT-1"));
    assertThat(b1.get(10, TimeUnit.SECONDS)).isEqualTo("L1-LOT-1");
    // Ready dropped by the PLC -> Ack dropped by the gateway; the line is idle again.
    await()
        .atMost(WAIT)
        .until(() -> !plc.state("L1").ack() && plc.state("L1").phase().equals("IDLE"));
    await().atMost(WAIT).until(() -> l1.lineState().phase() == OpcUaLineState.Phase.IDLE);
    assertThat(b2).isNotDone();

    CompletableFuture<String> b3 = plc.raise("L1", "B-3", "WIDGET-100", 12);
    await().atMost(WAIT).until(() -> gateway.batchIds("L1").size() == 2);
    gateway.signals().stream()
        .filter(s -> RecordingGateway.batchId(s).equals("B-3"))
        .findFirst()
        .orElseThrow()
        .acknowledgment()
        .committed(Optional.of("L1-LOT-2"));
    gateway.signals().stream()
        .filter(s -> RecordingGateway.batchId(s).equals("B-2"))
        .findFirst()
        .orElseThrow()
        .acknowledgment()
        .committed(Optional.of("L2-LOT-1"));
    assertThat(b3.get(10, TimeUnit.SECONDS)).isEqualTo("L1-LOT-2");
    assertThat(b2.get(10, TimeUnit.SECONDS)).isEqualTo("L2-LOT-1");
    assertThat(gateway.batchIds("L1")).containsExactly("B-1", "B-3");
    assertThat(gateway.batchIds("L2")).containsExactly("B-2");
  }

  /** A PLC restart must neither lose a batch nor complete one twice; the source recovers alone. */
  @Test
  void plcRestartMidRunLosesNoBatchAndTheSourceReconnectsByItself() throws Exception {
    OpcUaPlc plc = plc("L1", "L2");
    var gateway = closing(RecordingGateway.committing());
    var connections = closing(new OpcUaConnections());
    var l1 = start(connections, config(plc, "L1", dir.resolve("pki")), gateway);
    var l2 = start(connections, config(plc, "L2", dir.resolve("pki")), gateway);
    await().atMost(WAIT).until(() -> l1.status().up() && l2.status().up());

    Map<String, CompletableFuture<String>> raised = new LinkedHashMap<>();
    for (int i = 1; i <= 3; i++) {
      raised.put("L1-A" + i, plc.raise("L1", "L1-A" + i, "WIDGET-100", i));
      raised.put("L2-A" + i, plc.raise("L2", "L2-A" + i, "WIDGET-100", i));
    }
    raised.get("L1-A1").get(10, TimeUnit.SECONDS);

    plc.stop();
    await()
        .atMost(WAIT)
        .until(() -> l1.status().state() == State.DOWN && l2.status().state() == State.DOWN);
    // Raised while the server is down: the PLC holds them for when it is back.
    for (int i = 1; i <= 2; i++) {
      raised.put("L1-B" + i, plc.raise("L1", "L1-B" + i, "WIDGET-100", i));
      raised.put("L2-B" + i, plc.raise("L2", "L2-B" + i, "WIDGET-100", i));
    }
    plc.start();

    await().atMost(WAIT).until(() -> l1.status().up() && l2.status().up());
    CompletableFuture.allOf(raised.values().toArray(CompletableFuture[]::new))
        .get(30, TimeUnit.SECONDS);
    raised.forEach(
        (batchId, lot) -> assertThat(lot.join()).as(batchId).isEqualTo("LOT-" + batchId));
    assertThat(l1.status().reconnects()).isPositive();
    for (String line : List.of("L1", "L2")) {
      List<String> expected = raised.keySet().stream().filter(id -> id.startsWith(line)).toList();
      assertThat(distinctInOrder(gateway.batchIds(line))).containsExactlyElementsOf(expected);
    }
  }

  /**
   * A held Ready when the gateway starts (as after a crash between commit and ack) is delivered.
   */
  @Test
  void aReadyHeldWhenTheSourceStartsIsDeliveredOnConnect() throws Exception {
    OpcUaPlc plc = plc("L1");
    CompletableFuture<String> held = plc.raise("L1", "B-HELD", "WIDGET-100", 5);
    await().atMost(WAIT).until(() -> plc.state("L1").ready());

    // A first gateway gets the batch and dies before it could acknowledge it.
    var crashed = closing(RecordingGateway.silent());
    try (var connections = new OpcUaConnections()) {
      start(connections, config(plc, "L1", dir.resolve("pki")), crashed);
      await().atMost(WAIT).until(() -> crashed.signals().size() == 1);
    }
    assertThat(held).isNotDone();

    var gateway = closing(RecordingGateway.committing());
    var connections = closing(new OpcUaConnections());
    start(connections, config(plc, "L1", dir.resolve("pki")), gateway);
    assertThat(held.get(10, TimeUnit.SECONDS)).isEqualTo("LOT-B-HELD");
    assertThat(gateway.batchIds("L1")).containsExactly("B-HELD");
  }

  /** A commit that comes while the PLC is away is written to it when it is back, once. */
  @Test
  void aCommitDuringAnOutageIsAcknowledgedWhenThePlcIsBack() throws Exception {
    OpcUaPlc plc = plc("L1");
    var gateway = closing(RecordingGateway.silent());
    var connections = closing(new OpcUaConnections());
    var l1 = start(connections, config(plc, "L1", dir.resolve("pki")), gateway);
    CompletableFuture<String> lot = plc.raise("L1", "B-1", "WIDGET-100", 1);
    await().atMost(WAIT).until(() -> gateway.signals().size() == 1);

    plc.stop();
    await().atMost(WAIT).until(() -> l1.status().state() == State.DOWN);
    gateway.signals().get(0).acknowledgment().committed(Optional.of("LOT-1"));
    assertThat(l1.lineState().phase()).isEqualTo(OpcUaLineState.Phase.PROCESSING);
    plc.start();

    assertThat(lot.get(10, TimeUnit.SECONDS)).isEqualTo("LOT-1");
    assertThat(gateway.signals()).hasSize(1);
  }

  /** Sessions and connections cut by the server are re-established; nothing is lost. */
  @Test
  void droppedSessionsAreRecoveredWithoutLosingABatch() throws Exception {
    OpcUaPlc plc = plc("L1");
    var gateway = closing(RecordingGateway.committing());
    var connections = closing(new OpcUaConnections());
    var l1 = start(connections, config(plc, "L1", dir.resolve("pki")), gateway);
    await().atMost(WAIT).until(() -> l1.status().up());

    List<CompletableFuture<String>> lots = new ArrayList<>();
    List<String> ids = new ArrayList<>();
    for (int i = 1; i <= 6; i++) {
      ids.add("B-" + i);
      lots.add(plc.raise("L1", "B-" + i, "WIDGET-100", i));
      if (i == 2 || i == 4) {
        lots.get(0).get(10, TimeUnit.SECONDS);
        plc.dropSessions();
      }
    }
    CompletableFuture.allOf(lots.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
    assertThat(distinctInOrder(gateway.batchIds("L1"))).containsExactlyElementsOf(ids);
    await().atMost(WAIT).until(() -> l1.status().up());
    assertThat(l1.status().reconnects()).isPositive();
  }

  /** A subscription that goes silent while the session lives on is noticed and rebuilt. */
  @Test
  void aSilentSubscriptionIsRebuiltByTheWatchdog() throws Exception {
    OpcUaPlc plc = plc("L1");
    var gateway = closing(RecordingGateway.committing());
    var connections = closing(new OpcUaConnections());
    var l1 = start(connections, config(plc, "L1", dir.resolve("pki")), gateway);
    await().atMost(WAIT).until(() -> l1.status().up());
    assertThat(plc.raise("L1", "B-1", "WIDGET-100", 1).get(10, TimeUnit.SECONDS))
        .isEqualTo("LOT-B-1");
    await()
        .atMost(WAIT)
        .until(
            () ->
                plc.state("L1").phase().equals("IDLE")
                    && l1.lineState().phase() == OpcUaLineState.Phase.IDLE);

    plc.dropSubscriptions();
    CompletableFuture<String> afterSilence = plc.raise("L1", "B-2", "WIDGET-100", 2);

    // Only a new subscription (or a read) can see this Ready: nothing else will come.
    assertThat(afterSilence.get(15, TimeUnit.SECONDS)).isEqualTo("LOT-B-2");
    assertThat(plc.sessionCount()).isEqualTo(1);
  }

  /** Values the gateway must reject still travel as they are, and the line goes on afterwards. */
  @Test
  void oddValuesArriveAsTheyAreAndTheLineGoesOn() throws Exception {
    OpcUaPlc plc = plc("L1");
    var gateway = closing(RecordingGateway.silent());
    gateway.answerWith(signal -> Optional.empty()); // rejected: acknowledged without a lot
    var connections = closing(new OpcUaConnections());
    var l1 = start(connections, config(plc, "L1", dir.resolve("pki")), gateway);
    await().atMost(WAIT).until(() -> l1.status().up());

    List<CompletableFuture<String>> lots =
        List.of(
            plc.raise("L1", "B-NEG", "WIDGET-100", -5),
            plc.raise("L1", "", "WIDGET-100", 5),
            plc.raiseRaw("L1", new Variant("B-DBL"), new Variant("WIDGET-100"), new Variant(24.0)),
            plc.raiseWithBadQuantity(
                "L1", "B-BAD", "WIDGET-100", new StatusCode(StatusCodes.Bad_SensorFailure)),
            plc.raiseRaw("L1", Variant.NULL_VALUE, new Variant("WIDGET-100"), new Variant("12")));
    CompletableFuture.allOf(lots.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
    assertThat(lots).allSatisfy(lot -> assertThat(lot.join()).isEmpty());
    assertThat(gateway.payloads("L1"))
        .containsExactly(
            "{\"batchId\": \"B-NEG\", \"product\": \"WIDGET-100\", \"quantity\": -5}",
            "{\"batchId\": \"\", \"product\": \"WIDGET-100\", \"quantity\": 5}",
            "{\"batchId\": \"B-DBL\", \"product\": \"WIDGET-100\", \"quantity\": 24.0}",
            "{\"batchId\": \"B-BAD\", \"product\": \"WIDGET-100\", \"quantity\": null, \"badStatus\": {\"quantity\": \"Bad_SensorFailure\"}}",
            "{\"batchId\": null, \"product\": \"WIDGET-100\", \"quantity\": \"12\"}");

    gateway.answerWith(signal -> Optional.of("LOT-OK"));
    assertThat(plc.raise("L1", "B-OK", "WIDGET-100", 1).get(10, TimeUnit.SECONDS))
        .isEqualTo("LOT-OK");
  }

  /** A batch the gateway could not store is offered again after a backoff, never acknowledged. */
  @Test
  void aFailedSignalIsDeliveredAgainAfterABackoff() throws Exception {
    OpcUaPlc plc = plc("L1");
    var gateway = closing(RecordingGateway.silent());
    var connections = closing(new OpcUaConnections());
    var l1 = start(connections, config(plc, "L1", dir.resolve("pki")), gateway);
    await().atMost(WAIT).until(() -> l1.status().up());

    CompletableFuture<String> lot = plc.raise("L1", "B-1", "WIDGET-100", 1);
    await().atMost(WAIT).until(() -> gateway.signals().size() == 1);
    gateway.signals().get(0).acknowledgment().failed(new IllegalStateException("disk full"));
    await().atMost(WAIT).until(() -> gateway.signals().size() == 2);
    assertThat(plc.state("L1").ack()).isFalse();
    assertThat(l1.status().detail()).contains("disk full");
    assertThat(gateway.batchIds("L1")).containsExactly("B-1", "B-1");

    gateway.signals().get(1).acknowledgment().committed(Optional.of("LOT-1"));
    assertThat(lot.get(10, TimeUnit.SECONDS)).isEqualTo("LOT-1");
    // A late answer to the first delivery changes nothing.
    gateway.signals().get(0).acknowledgment().committed(Optional.of("LOT-STALE"));
    assertThat(gateway.signals()).hasSize(2);
  }

  /** Namespace indexes move between servers and restarts; nsu= ids follow the URI. */
  @Test
  void namespaceUriNodeIdsAreResolvedAgainstTheServer() throws Exception {
    OpcUaPlc plc = plc("L1");
    var gateway = closing(RecordingGateway.committing());
    var connections = closing(new OpcUaConnections());
    // The URL as in the SPEC's example, without a path.
    var config =
        OpcUaSourceConfig.insecure(
                "L1",
                "opc.tcp://127.0.0.1:" + plc.port(),
                OpcUaSourceConfig.Nodes.conventional("nsu=" + OpcUaPlc.NAMESPACE_URI, "L1"),
                dir.resolve("pki"))
            .withTiming(FAST, Duration.ofMillis(100), Duration.ofSeconds(2));
    var l1 = start(connections, config, gateway);
    await().atMost(WAIT).until(() -> l1.status().up());
    assertThat(plc.raise("L1", "B-1", "WIDGET-100", 7).get(10, TimeUnit.SECONDS))
        .isEqualTo("LOT-B-1");
  }

  /** A node id the PLC does not have is reported on the line, and the other line still works. */
  @Test
  void anUnknownNamespaceIsReportedOnItsLineOnly() throws Exception {
    OpcUaPlc plc = plc("L1", "L2");
    var gateway = closing(RecordingGateway.committing());
    var connections = closing(new OpcUaConnections());
    var wrong =
        OpcUaSourceConfig.insecure(
                "L1",
                plc.endpointUrl(),
                OpcUaSourceConfig.Nodes.conventional("nsu=urn:no-such-plc", "L1"),
                dir.resolve("pki"))
            .withTiming(FAST, Duration.ofMillis(100), Duration.ofSeconds(2));
    var l1 = start(connections, wrong, gateway);
    var l2 = start(connections, config(plc, "L2", dir.resolve("pki")), gateway);
    await().atMost(WAIT).until(() -> l1.status().state() == State.DOWN);
    assertThat(l1.status().detail()).contains("urn:no-such-plc");
    assertThat(plc.raise("L2", "B-1", "WIDGET-100", 7).get(10, TimeUnit.SECONDS))
        .isEqualTo("LOT-B-1");
    assertThat(l2.status().up()).isTrue();
  }

  /** The PLC may keep its quantity in any integer type; the gateway sees a JSON number. */
  @Test
  void anUnsignedQuantityIsAJsonNumber() throws Exception {
    OpcUaPlc plc =
        closing(
            OpcUaPlc.start(
                OpcUaPlcConfig.development(0, List.of("L1"), dir.resolve("plc-pki"))
                    .withQuantityType(QuantityType.UINT16)));
    var gateway = closing(RecordingGateway.committing());
    var connections = closing(new OpcUaConnections());
    start(connections, config(plc, "L1", dir.resolve("pki")), gateway);
    plc.raise("L1", "B-1", "WIDGET-100", 60_000).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertThat(gateway.payloads("L1"))
        .containsExactly(
            "{\"batchId\": \"B-1\", \"product\": \"WIDGET-100\", \"quantity\": 60000}");
  }

  /** Delivered batch ids without immediate repeats: a redelivery after a reconnect is allowed. */
  static List<String> distinctInOrder(List<String> ids) {
    List<String> result = new ArrayList<>();
    for (String id : ids) {
      if (result.isEmpty() || !result.get(result.size() - 1).equals(id)) {
        result.add(id);
      }
    }
    return result;
  }
}
