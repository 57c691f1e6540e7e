package dev.linegate.gateway.it;

import dev.linegate.simulator.erp.SimulatedErp;
import dev.linegate.simulator.mqtt.MqttPlc;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The wires of the ITs that run the gateway against a real broker: mosquitto, the simulated PLC
 * publishing to it, the simulated HTTP ERP, a free HTTP port and the gateway's API on it. The
 * gateway itself (in this JVM or as a process) stays the test's own, as MqttRig's does for the
 * embedded broker.
 */
record MosquittoRig(
    Path dir, Mosquitto broker, SimulatedErp erp, MqttPlc plc, int httpPort, GatewayApi api)
    implements AutoCloseable {

  static MosquittoRig start(Path dir) throws Exception {
    Mosquitto broker = Mosquitto.start(dir);
    SimulatedErp erp = null;
    try {
      erp = SimulatedErp.start(0);
      MqttPlc plc = MqttPlc.connect(broker.url(), MqttPlc.DEFAULT_TOPIC);
      int httpPort = TestConfig.freePort();
      return new MosquittoRig(dir, broker, erp, plc, httpPort, new GatewayApi(httpPort));
    } catch (Exception | Error e) {
      if (erp != null) {
        erp.close();
      }
      broker.close();
      throw e;
    }
  }

  /** The test configuration (line L1 on this broker, MQTT 3.1.1) posting to this ERP. */
  Path config() throws IOException {
    return TestConfig.write(dir, httpPort, broker.url(), erp.url());
  }

  /** The same on MQTT {@code version}. */
  Path config(String version) throws IOException {
    return TestConfig.write(dir, httpPort, broker.url(), version, "url: " + erp.url());
  }

  @Override
  public void close() throws Exception {
    plc.close();
    erp.close();
    broker.close();
  }
}
