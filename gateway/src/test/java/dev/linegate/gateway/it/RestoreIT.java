package dev.linegate.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.linegate.simulator.erp.ErpEvent;
import dev.linegate.simulator.mqtt.MqttPlc;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SPEC section 14: after a backup of the database is put back, or the database is lost, the gateway
 * never issues a lot number or serial again that it had issued, also those issued after the backup.
 * Through the gateway as users run it, with a random and a sequential product; what was issued is
 * what reached the ERP.
 */
class RestoreIT {

  private static final Duration PATIENCE = Duration.ofSeconds(60);

  @TempDir Path dir;

  /** What a run issued: lot numbers, and serials as {@code gtin/serial}. */
  private record Issued(Set<String> lots, Set<String> serials) {}

  @Test
  void aDatabasePutBackFromABackupIssuesNoNumberAgainNotEvenThoseIssuedAfterTheBackup()
      throws Exception {
    try (MosquittoRig rig = MosquittoRig.start(dir)) {
      Issued first = run(rig, "first");
      Path backup = Files.copy(data().resolve("linegate.db"), dir.resolve("backup.db"));
      Issued second = run(rig, "second");
      putBack(backup);

      try (GatewayProcess third = start(rig, "third")) {
        Issued afterRestore = send(rig);
        assertNoneIssuedBefore(afterRestore, first, second);
        await()
            .atMost(PATIENCE)
            .untilAsserted(
                () ->
                    assertThat(third.output())
                        .contains("moved from")
                        .contains(
                            "the database is older than the numbers this gateway has issued"));
      }
    }
  }

  @Test
  void aLostRecordIsWarnedAboutAndWrittenAnewAndTheNumbersGoOn() throws Exception {
    try (MosquittoRig rig = MosquittoRig.start(dir)) {
      Issued first = run(rig, "first");
      Files.delete(data().resolve("linegate.highwater"));

      try (GatewayProcess second = start(rig, "second")) {
        Issued afterLoss = send(rig);
        assertNoneIssuedBefore(afterLoss, first);
        await()
            .atMost(PATIENCE)
            .untilAsserted(
                () ->
                    assertThat(second.output())
                        .contains("linegate.highwater is missing: written anew from the database"));
        assertThat(data().resolve("linegate.highwater")).exists();
      }
    }
  }

  @Test
  void aLostDatabaseWithTheRecordKeptIssuesNoNumberAgain() throws Exception {
    try (MosquittoRig rig = MosquittoRig.start(dir)) {
      Issued first = run(rig, "first");
      for (String file : List.of("linegate.db", "linegate.db-wal", "linegate.db-shm")) {
        Files.deleteIfExists(data().resolve(file));
      }

      try (GatewayProcess second = start(rig, "second")) {
        assertNoneIssuedBefore(send(rig), first);
      }
    }
  }

  /** A gateway run that sends batches and is then stopped as a service is (SIGTERM). */
  private Issued run(MosquittoRig rig, String name) throws Exception {
    try (GatewayProcess gateway = start(rig, name)) {
      return send(rig);
    }
  }

  private GatewayProcess start(MosquittoRig rig, String name) throws Exception {
    GatewayProcess gateway = GatewayProcess.start(rig.config(), dir.resolve(name + ".log"));
    // Generous: on a loaded machine a start has taken over a minute.
    rig.api().awaitUp(Duration.ofSeconds(120));
    return gateway;
  }

  /** As a restore is done: the copy in place of linegate.db, no WAL of the database it replaces. */
  private void putBack(Path backup) throws Exception {
    Files.copy(backup, data().resolve("linegate.db"), StandardCopyOption.REPLACE_EXISTING);
    Files.deleteIfExists(data().resolve("linegate.db-wal"));
    Files.deleteIfExists(data().resolve("linegate.db-shm"));
  }

  /**
   * Batches of the random product (WIDGET-100) on L1 and the sequential one (GADGET-7) on L2, until
   * the ERP has them all.
   */
  private static Issued send(MosquittoRig rig) throws Exception {
    MqttPlc plc = rig.plc();
    Set<String> batchIds = new HashSet<>();
    for (int i = 0; i < 4; i++) {
      for (String line : List.of("L1", "L2")) {
        String batchId = plc.nextBatchId(line);
        plc.publish(line, batchId, line.equals("L1") ? TestConfig.WIDGET : "GADGET-7", 5)
            .get(10, TimeUnit.SECONDS);
        batchIds.add(batchId);
      }
    }
    await().atMost(PATIENCE).until(() -> completed(rig, batchIds).size() == batchIds.size());
    Set<String> lots = new HashSet<>();
    Set<String> serials = new HashSet<>();
    for (ErpEvent event : completed(rig, batchIds)) {
      lots.add(event.data().get("lot").asText());
      event
          .data()
          .get("serials")
          .forEach(
              serial -> serials.add(event.data().get("gtin").asText() + "/" + serial.asText()));
    }
    assertThat(lots).hasSize(batchIds.size());
    assertThat(serials).hasSize(batchIds.size() * 5);
    return new Issued(lots, serials);
  }

  private static List<ErpEvent> completed(MosquittoRig rig, Set<String> batchIds) {
    List<ErpEvent> events = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (ErpEvent event : rig.erp().events()) {
      String batchId = event.data().path("batchId").asText();
      if (event.type().equals(ErpEvent.LOT_COMPLETED)
          && batchIds.contains(batchId)
          && seen.add(batchId)) {
        events.add(event);
      }
    }
    return events;
  }

  private static void assertNoneIssuedBefore(Issued now, Issued... before) {
    for (Issued earlier : before) {
      assertThat(now.lots())
          .as("lot numbers issued again")
          .doesNotContainAnyElementsOf(earlier.lots());
      assertThat(now.serials())
          .as("serials issued again")
          .doesNotContainAnyElementsOf(earlier.serials());
    }
  }

  private Path data() {
    return dir.resolve("data");
  }
}
