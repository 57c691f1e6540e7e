package dev.linegate.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two gateways on one database would each think they own the counters and the outbox: lot numbers
 * and serials could be issued twice. The second must refuse to start and say which process holds
 * the data directory; a holder killed with kill -9 must not keep the next start out.
 */
class DataDirLockIT {

  @TempDir Path dir;

  @Test
  void aSecondGatewayOnTheSameDataDirExitsWithTwoNamingTheFirstAndAKilledOneDoesNotBlockTheNext()
      throws Exception {
    int port = TestConfig.freePort();
    Path config = TestConfig.writeWithoutPeers(dir, port);
    GatewayApi api = new GatewayApi(port, dir.resolve("data"));
    try (GatewayProcess first = GatewayProcess.start(config, dir.resolve("first.log"))) {
      await().atMost(Duration.ofSeconds(60)).until(api::reachable);

      try (GatewayProcess second = GatewayProcess.start(config, dir.resolve("second.log"))) {
        assertThat(second.waitForExit()).as(second.output()).isEqualTo(2);
        assertThat(second.output())
            .contains(
                "linegate.yaml: gateway.dataDir: "
                    + dir.resolve("data")
                    + " is in use by the gateway with pid "
                    + first.pid()
                    + " on host "
                    + InetAddress.getLocalHost().getHostName()
                    + " (since ");
      }
      assertThat(api.reachable()).as("the first gateway runs on").isTrue();

      first.killHard();
      try (GatewayProcess third = GatewayProcess.start(config, dir.resolve("third.log"))) {
        await().atMost(Duration.ofSeconds(60)).until(api::reachable);
        assertThat(third.output()).doesNotContain("in use");
      }
    }
  }
}
