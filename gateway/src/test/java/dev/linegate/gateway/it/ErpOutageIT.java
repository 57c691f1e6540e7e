package dev.linegate.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.linegate.simulator.erp.SimulatedErp;
import dev.linegate.simulator.mqtt.MqttPlc;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A short ERP outage while hundreds of lots wait to be sent: the many sends on their way when the
 * ERP went away are one outage, not hundreds of failures, so the probes stay frequent and delivery
 * resumes within seconds of the ERP's return, with one log line when the outage starts and one when
 * it ends.
 */
class ErpOutageIT {

  private static final int BATCHES = 400;
  private static final Pattern FAILED_PROBES = Pattern.compile("(\\d+) probes failed");

  @TempDir Path dir;

  @Test
  void deliveryResumesWithinSecondsOfTheErpsReturnAndTheOutageIsLoggedOnce() throws Exception {
    try (MosquittoRig rig = MosquittoRig.start(dir)) {
      SimulatedErp erp = rig.erp();
      GatewayApi api = rig.api();
      Path log = dir.resolve("gateway.log");
      // The shipped retry backoff (0.5 s doubling to 60 s), not the tests' short one: the fault
      // lived there.
      Path config = rig.config();
      Files.writeString(
          config,
          Files.readString(config)
              .replace(
                  "retry: { initialMs: 100, maxMs: 1000 }",
                  "retry: { initialMs: 500, maxMs: 60000 }"));
      try (GatewayProcess gateway = GatewayProcess.start(config, log)) {
        api.awaitUp(Duration.ofSeconds(60));
        publish(rig.plc(), 1);
        await().atMost(Duration.ofSeconds(30)).until(() -> erp.events().size() == 1);

        erp.refuseConnections();
        // Each batch is a lot of its own: hundreds of events are eligible at once, many in flight.
        publish(rig.plc(), BATCHES);
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> api.check("erp").path("state").asText().equals("DOWN"));
        // The outage lasts over several probe rounds: each failed probe lengthens the pause.
        await().atMost(Duration.ofSeconds(60)).until(() -> failedProbes(api.check("erp")) >= 4);
        JsonNode down = api.check("erp");
        assertThat(down.path("detail").asText()).contains("unreachable", "ConnectException");

        long back = System.nanoTime();
        erp.acceptConnections();
        // The probe backoff is capped at erp.probeMaxMs (2 s by default): the whole backlog follows
        // the first probe that succeeds.
        await().atMost(Duration.ofSeconds(10)).until(() -> erp.events().size() == BATCHES + 1);
        double seconds = (System.nanoTime() - back) / 1e9;
        System.out.printf(
            "ErpOutageIT: %d events delivered %.1f s after the ERP came back%n", BATCHES, seconds);

        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> api.check("erp").path("state").asText().equals("UP"));
        assertThat(erp.duplicates()).isZero();
        String output = gateway.output();
        assertThat(count(output, "ERP unreachable")).as(output).isEqualTo(1);
        assertThat(count(output, "ERP reachable again")).as(output).isEqualTo(1);
        // Camel's error handler would log each failed exchange with its stack trace.
        assertThat(output)
            .doesNotContain("Exhausted after delivery attempt")
            .doesNotContain("\tat org.apache.camel");
        assertThat(Files.size(log))
            .as("log bytes for one outage of %d events", BATCHES)
            .isLessThan(64 * 1024);
      }
    }
  }

  private static int failedProbes(JsonNode check) {
    Matcher probes = FAILED_PROBES.matcher(check.path("detail").asText());
    return probes.find() ? Integer.parseInt(probes.group(1)) : 0;
  }

  private static void publish(MqttPlc plc, int batches) throws Exception {
    List<CompletableFuture<?>> acks = new ArrayList<>();
    for (int i = 0; i < batches; i++) {
      String line = i % 2 == 0 ? "L1" : "L2";
      acks.add(plc.publish(line, plc.nextBatchId(line), TestConfig.WIDGET, 2));
    }
    CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
  }

  private static int count(String text, String what) {
    int found = 0;
    for (int at = text.indexOf(what); at >= 0; at = text.indexOf(what, at + what.length())) {
      found++;
    }
    return found;
  }
}
