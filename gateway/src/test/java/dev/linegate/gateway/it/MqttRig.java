package dev.linegate.gateway.it;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.linegate.gateway.Gateway;
import dev.linegate.simulator.erp.SimulatedErp;
import dev.linegate.simulator.mqtt.EmbeddedBroker;
import dev.linegate.simulator.mqtt.MqttPlc;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The wires every MQTT integration test needs around an in-process gateway: an embedded broker, a
 * simulated PLC publishing to it, a simulated HTTP ERP, a free HTTP port and the gateway's API on
 * it. Devices a test needs of its own (printers, scanners, cables, a browser) stay in the test.
 */
final class MqttRig implements AutoCloseable {

  private static final Duration PATIENCE = Duration.ofSeconds(30);

  private final EmbeddedBroker broker;
  private final SimulatedErp erp;
  private final MqttPlc plc;
  private final int httpPort;
  private final GatewayApi api;
  private Gateway gateway;

  private MqttRig(EmbeddedBroker broker, SimulatedErp erp, MqttPlc plc, int httpPort) {
    this.broker = broker;
    this.erp = erp;
    this.plc = plc;
    this.httpPort = httpPort;
    this.api = new GatewayApi(httpPort);
  }

  /** Starts the broker, the ERP and the PLC; the gateway waits for {@link #startGateway}. */
  static MqttRig start() throws Exception {
    EmbeddedBroker broker = EmbeddedBroker.start("127.0.0.1", 0);
    SimulatedErp erp = null;
    try {
      erp = SimulatedErp.start(0);
      MqttPlc plc = MqttPlc.connect(broker.url(), MqttPlc.DEFAULT_TOPIC);
      return new MqttRig(broker, erp, plc, TestConfig.freePort());
    } catch (Exception | Error e) {
      if (erp != null) {
        erp.close();
      }
      broker.close();
      throw e;
    }
  }

  /**
   * Starts the gateway in this JVM and waits until it has subscribed to each line's batch topic.
   */
  void startGateway(Path config, String... lines) throws Exception {
    gateway = InProcessGateway.start(config);
    for (String line : lines) {
      broker.subscribed("plant/" + line + "/batch-complete").get(30, TimeUnit.SECONDS);
    }
  }

  /** Stops the gateway, leaving broker, PLC and ERP running, so that it can be started again. */
  void stopGateway() {
    if (gateway != null) {
      gateway.close();
      gateway = null;
    }
  }

  /** Publishes a batch and waits for its lot: the lot as {@code GET /api/lots/{lot}} gives it. */
  JsonNode publishAndAwaitLot(String line, String product, int quantity) throws Exception {
    String batchId = plc.nextBatchId(line);
    plc.publish(line, batchId, product, quantity).get(10, TimeUnit.SECONDS);
    await().atMost(PATIENCE).until(() -> api().lotOfBatch(line, batchId).isPresent());
    return api()
        .get("/api/lots/" + api().lotOfBatch(line, batchId).orElseThrow().get("lot").asText());
  }

  EmbeddedBroker broker() {
    return broker;
  }

  SimulatedErp erp() {
    return erp;
  }

  MqttPlc plc() {
    return plc;
  }

  /** The port the gateway's config must give its HTTP API. */
  int httpPort() {
    return httpPort;
  }

  /** The API of the gateway configured for this rig's HTTP port, in this JVM or not. */
  GatewayApi api() {
    return api;
  }

  @Override
  public void close() {
    stopGateway();
    plc.close();
    erp.close();
    broker.close();
  }
}
