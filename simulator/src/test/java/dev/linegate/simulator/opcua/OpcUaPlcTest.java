package dev.linegate.simulator.opcua;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.linegate.simulator.FreePort;
import dev.linegate.simulator.SimulatorMain;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.sdk.client.subscriptions.OpcUaMonitoredItem;
import org.eclipse.milo.opcua.sdk.client.subscriptions.OpcUaSubscription;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UShort;
import org.eclipse.milo.opcua.stack.core.types.enumerated.TimestampsToReturn;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The simulated PLC, driven by a plain OPC UA client playing the gateway. */
class OpcUaPlcTest {

  @TempDir Path dir;

  @Test
  void thePlcPlaysItsSideOfTheHandshake() throws Exception {
    try (var plc = OpcUaPlc.start(OpcUaPlcConfig.development(0, List.of("L1"), dir));
        var gateway = new Gateway(plc.endpointUrl())) {
      CompletableFuture<String> first = plc.raise("L1", "B-1", "WIDGET-100", 24);
      CompletableFuture<String> second = plc.raise("L1", "B-2", "WIDGET-100", 12);
      await().until(() -> gateway.bool("L1.Batch.Ready"));
      assertThat(gateway.read("L1.Batch.Id")).isEqualTo("B-1");
      assertThat(gateway.read("L1.Batch.Product")).isEqualTo("WIDGET-100");
      assertThat(gateway.read("L1.Batch.Quantity")).isEqualTo(24);

      gateway.write("L1.Batch.Lot", "LOT-1");
      gateway.write("L1.Batch.Ack", true);
      assertThat(first.get(5, TimeUnit.SECONDS)).isEqualTo("LOT-1");
      await().until(() -> !gateway.bool("L1.Batch.Ready"));
      // The next batch waits for the gateway to drop Ack.
      assertThat(plc.state("L1").queued()).isEqualTo(1);
      assertThat(second).isNotDone();

      gateway.write("L1.Batch.Ack", false);
      await().until(() -> gateway.bool("L1.Batch.Ready"));
      assertThat(gateway.read("L1.Batch.Id")).isEqualTo("B-2");
      assertThat(gateway.read("L1.Batch.Lot")).isEqualTo("");
    }
  }

  /** Only Lot and Ack belong to the gateway. */
  @Test
  void clientsCanWriteOnlyLotAndAck() throws Exception {
    try (var plc = OpcUaPlc.start(OpcUaPlcConfig.development(0, List.of("L1"), dir));
        var gateway = new Gateway(plc.endpointUrl())) {
      assertThat(gateway.write("L1.Batch.Ready", true).isGood()).isFalse();
      assertThat(gateway.write("L1.Batch.Id", "X").isGood()).isFalse();
      assertThat(gateway.write("L1.Batch.Ack", "not a boolean").isGood()).isFalse();
      assertThat(gateway.write("L1.Batch.Lot", "L-1").isGood()).isTrue();
    }
  }

  @Test
  void aSubscriptionSeesReadyRise() throws Exception {
    try (var plc = OpcUaPlc.start(OpcUaPlcConfig.development(0, List.of("L1"), dir));
        var gateway = new Gateway(plc.endpointUrl())) {
      var seen = new CompletableFuture<Object>();
      var subscription = new OpcUaSubscription(gateway.client, 50);
      subscription.create();
      var item = OpcUaMonitoredItem.newDataItem(gateway.node("L1.Batch.Ready"));
      item.setDataValueListener(
          (i, value) -> {
            if (Boolean.TRUE.equals(value.value().value())) {
              seen.complete(true);
            }
          });
      subscription.addMonitoredItem(item);
      subscription.synchronizeMonitoredItems();
      plc.raise("L1", "B-1", "WIDGET-100", 1);
      assertThat(seen.get(5, TimeUnit.SECONDS)).isEqualTo(true);
    }
  }

  /** A PLC restart: same port, and the batch it held is held again. */
  @Test
  void aRestartKeepsThePortAndTheHeldBatch() throws Exception {
    try (var plc = OpcUaPlc.start(OpcUaPlcConfig.development(0, List.of("L1"), dir))) {
      int port = plc.port();
      CompletableFuture<String> lot = plc.raise("L1", "B-1", "WIDGET-100", 3);
      await().until(() -> plc.state("L1").ready());
      plc.stop();
      assertThat(plc.running()).isFalse();
      plc.start();
      assertThat(plc.port()).isEqualTo(port);
      try (var gateway = new Gateway(plc.endpointUrl())) {
        assertThat(gateway.bool("L1.Batch.Ready")).isTrue();
        assertThat(gateway.read("L1.Batch.Id")).isEqualTo("B-1");
        gateway.write("L1.Batch.Ack", true);
        assertThat(lot.get(5, TimeUnit.SECONDS)).isEmpty();
      }
    }
  }

  @Test
  void aBadQuantityCarriesItsStatusCode() throws Exception {
    try (var plc = OpcUaPlc.start(OpcUaPlcConfig.development(0, List.of("L1"), dir));
        var gateway = new Gateway(plc.endpointUrl())) {
      plc.raiseWithBadQuantity("L1", "B-1", "WIDGET-100", new StatusCode(0x80000000L));
      await().until(() -> gateway.bool("L1.Batch.Ready"));
      DataValue quantity = gateway.value("L1.Batch.Quantity");
      assertThat(quantity.statusCode().isBad()).isTrue();
    }
  }

  /** The command raises --count batches per line and ends when the gateway has taken them all. */
  @Test
  void theCommandEndsWhenItsBatchesAreAcknowledged() throws Exception {
    int port = FreePort.pick();
    var err = new StringWriter();
    var command = SimulatorMain.commandLine().setErr(new PrintWriter(err, true));
    var exit =
        CompletableFuture.supplyAsync(
            () ->
                command.execute(
                    "opcua-plc",
                    "--port",
                    String.valueOf(port),
                    "--lines",
                    "L7",
                    "--count",
                    "2",
                    "--rate",
                    "20",
                    "--pki-dir",
                    dir.toString()));
    String url = "opc.tcp://127.0.0.1:" + port + OpcUaPlcConfig.PATH;
    await()
        .atMost(Duration.ofSeconds(20))
        .ignoreExceptions()
        .until(
            () -> {
              new Gateway(url).close();
              return true;
            });
    try (var gateway = new Gateway(url)) {
      for (int i = 0; i < 2; i++) {
        await().atMost(Duration.ofSeconds(10)).until(() -> gateway.bool("L7.Batch.Ready"));
        gateway.write("L7.Batch.Lot", "LOT-" + i);
        gateway.write("L7.Batch.Ack", true);
        await().atMost(Duration.ofSeconds(10)).until(() -> !gateway.bool("L7.Batch.Ready"));
        if (i == 0) {
          gateway.write("L7.Batch.Ack", false);
        } else {
          // The command ends when it sees the last Ack drop, and may close before it answers.
          try {
            gateway.write("L7.Batch.Ack", false);
          } catch (UaException e) {
            assertThat(e.getStatusCode().getValue()).isEqualTo(StatusCodes.Bad_ConnectionClosed);
          }
        }
      }
      assertThat(exit.get(20, TimeUnit.SECONDS)).as(err.toString()).isZero();
    }
  }

  @Test
  void badOptionsAreBadUsage() {
    assertThat(
            SimulatorMain.commandLine()
                .setErr(new PrintWriter(new StringWriter()))
                .execute("opcua-plc", "--rate", "0"))
        .isEqualTo(2);
    assertThat(
            SimulatorMain.commandLine()
                .setErr(new PrintWriter(new StringWriter()))
                .execute(
                    "opcua-plc", "--security-policy", "Basic256Sha256", "--security-mode", "None"))
        .isEqualTo(2);
    assertThat(
            SimulatorMain.commandLine()
                .setErr(new PrintWriter(new StringWriter()))
                .execute("opcua-plc", "--user", "u"))
        .isEqualTo(2);
    assertThat(
            SimulatorMain.commandLine()
                .setErr(new PrintWriter(new StringWriter()))
                .execute("opcua-plc", "--security-policy", "Basic128Rsa15"))
        .isEqualTo(2);
    var out = new StringWriter();
    assertThat(SimulatorMain.commandLine().setOut(new PrintWriter(out, true)).execute("--help"))
        .isZero();
    assertThat(out.toString()).contains("opcua-plc");
  }

  /** A minimal gateway: anonymous, no security, reads and writes by string node id. */
  private static final class Gateway implements AutoCloseable {
    final OpcUaClient client;
    final UShort namespace;

    Gateway(String url) throws Exception {
      client = OpcUaClient.create(url);
      client.connect();
      namespace = client.getNamespaceTable().getIndex(OpcUaPlc.NAMESPACE_URI);
    }

    NodeId node(String id) {
      return new NodeId(namespace, id);
    }

    DataValue value(String id) throws Exception {
      return client.readValues(0.0, TimestampsToReturn.Both, List.of(node(id))).get(0);
    }

    Object read(String id) throws Exception {
      return value(id).value().value();
    }

    boolean bool(String id) throws Exception {
      return Boolean.TRUE.equals(read(id));
    }

    StatusCode write(String id, Object value) throws Exception {
      return client
          .writeValues(List.of(node(id)), List.of(DataValue.valueOnly(new Variant(value))))
          .get(0);
    }

    @Override
    public void close() throws UaException {
      client.disconnect();
    }
  }
}
