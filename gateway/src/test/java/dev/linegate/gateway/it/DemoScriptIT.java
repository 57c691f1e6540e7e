package dev.linegate.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./linegate demo}, the first thing a new user runs (SPEC section 1), on a machine with Java
 * and nothing else the demo could use: no socat. It must show lots, and stop everything, with a
 * word, when a part of it cannot start or when it is asked to stop.
 */
class DemoScriptIT {

  /**
   * Two JVMs start, one after the other: about 10 s to the gateway's API and 20 s to the first
   * scans on an idle two-core machine; the bounds leave room for a CI box running much else.
   */
  private static final Duration START = Duration.ofSeconds(90);

  /**
   * The script gives each of the two 30 s to stop before it kills it: 60 s at worst, and some to
   * spare.
   */
  private static final int STOP_SECONDS = 75;

  @TempDir Path dir;

  private final DemoScript.Ports ports = DemoScript.Ports.free();

  @Test
  void withoutSocatTheDemoShowsLotsOfBothLinesAndScansAndSigtermStopsEverything() throws Exception {
    try (DemoScript demo = DemoScript.start(dir, ports)) {
      GatewayApi api = new GatewayApi(ports.http(), dir.resolve("data"));
      demo.await(
          "lots of L1 (MQTT) and L2 (OPC UA), P1's labels scanned back at S1 and packed at PACK1",
          START,
          () -> {
            assertThat(items(api, "/api/lots?line=L1")).isNotEmpty();
            assertThat(items(api, "/api/lots?line=L2")).isNotEmpty();
            assertThat(items(api, "/api/scans?scanner=S1")).isNotEmpty();
            assertThat(demo.output())
                .contains("ERP <- dev.linegate.aggregation.packed")
                .contains("EPCIS <- AggregationEvent ADD packing parent=https://id.gs1.org/00/");
          });
      assertThat(demo.output())
          .contains("socat not found: printer P1 and scanner S1 on TCP")
          .contains("ERP <- dev.linegate.lot.completed")
          .containsPattern("EPCIS <- ObjectEvent ADD commissioning \\d+ EPCs lot=L1")
          .containsPattern(
              "Kafka <- linegate.events/\\d+@\\d+ key=edge-01/L1\\S+ type=dev.linegate.lot.completed")
          .contains("Demo users");
      Matcher supervisor = Pattern.compile("supervisor +password (\\S+)").matcher(demo.output());
      assertThat(supervisor.find()).as(demo.output()).isTrue();
      assertThat(api.logIn("supervisor", supervisor.group(1)))
          .as("the printed password is the supervisor's")
          .isEqualTo(200);
      // The check after the stop is only worth something if it sees both JVMs now.
      assertThat(demo.processes())
          .anyMatch(p -> p.contains("linegate-simulator.jar"))
          .anyMatch(p -> p.contains("linegate-gateway.jar"));

      demo.terminate();

      assertThat(demo.waitForExit(STOP_SECONDS)).as(demo.output()).isZero();
      assertThat(demo.processes()).as("left behind").isEmpty();
    }
  }

  @Test
  void ctrlCStopsBothAndExitsZero() throws Exception {
    try (DemoScript demo = DemoScript.start(dir, ports)) {
      GatewayApi api = new GatewayApi(ports.http(), dir.resolve("data"));
      demo.await("the gateway's API", START, () -> assertThat(api.reachable()).isTrue());

      demo.pressCtrlC();

      assertThat(demo.waitForExit(STOP_SECONDS)).as(demo.output()).isZero();
      assertThat(demo.processes()).as("left behind").isEmpty();
    }
  }

  @Test
  void aTakenPortStopsTheDemoWithinSecondsNamingThePortAndTheVariableToChange() throws Exception {
    try (ServerSocket taken = new ServerSocket();
        DemoScript demo = start(taken, ports.erp())) {
      int exit = demo.waitForExit(30);

      assertThat(exit).as(demo.output()).isNotZero();
      assertThat(demo.output())
          .contains("port " + ports.erp() + " is in use")
          .contains("DEMO_ERP_PORT");
      assertThat(demo.output()).doesNotContain("Gateway edge-01 started");
      assertThat(demo.processes()).as("left behind").isEmpty();
    }
  }

  @Test
  void aGatewayThatCannotStartStopsTheSimulatorToo() throws Exception {
    try (ServerSocket taken = new ServerSocket();
        DemoScript demo = start(taken, ports.http())) {
      int exit = demo.waitForExit(START.toSeconds() + STOP_SECONDS);

      assertThat(exit).as(demo.output()).isNotZero();
      assertThat(demo.output())
          .contains("the gateway stopped (exit 1)")
          .contains("stopped the simulator too");
      assertThat(demo.processes()).as("left behind").isEmpty();
    }
  }

  /** Binds {@code taken} to {@code port} first, as another program holding it would. */
  private DemoScript start(ServerSocket taken, int port) throws Exception {
    taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    return DemoScript.start(dir, ports);
  }

  private static JsonNode items(GatewayApi api, String path) {
    return api.get(path).get("items");
  }
}
