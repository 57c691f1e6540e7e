package dev.linegate.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.linegate.simulator.mqtt.MqttPlc;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A plant backs the gateway up while it runs: the copy must be a whole, consistent database holding
 * every lot committed before the backup began, and the lines must not stop for it.
 */
class BackupIT {

  @TempDir Path dir;

  @Test
  void aBackupOfARunningGatewayIsAVerifiedCopyOfEveryCommittedLotAndTheLinesGoOn()
      throws Exception {
    try (MqttRig rig = MqttRig.start()) {
      Path config = TestConfig.write(dir, rig.httpPort(), rig.broker().url(), rig.erp().url());
      GatewayApi api = rig.api();
      ScheduledExecutorService plc = Executors.newSingleThreadScheduledExecutor();
      try (GatewayProcess gateway = GatewayProcess.start(config, dir.resolve("gateway.log"))) {
        api.awaitUp(Duration.ofSeconds(60));
        AtomicInteger published = new AtomicInteger();
        // Load for the whole test: 20 batches a second over both lines.
        plc.scheduleAtFixedRate(
            () -> publish(rig.plc(), published.getAndIncrement()), 0, 50, TimeUnit.MILLISECONDS);
        await().atMost(Duration.ofSeconds(60)).until(() -> api.count("/api/lots") >= 60);

        Set<String> committedBefore = lots(api).keySet();
        Path backup = dir.resolve("backups/linegate-1.db");
        Files.createDirectories(backup.getParent());
        Instant started = Instant.now();
        try (GatewayProcess run =
            GatewayProcess.command(
                dir.resolve("backup.log"),
                "backup",
                "--config",
                config.toString(),
                "--to",
                backup.toString())) {
          assertThat(run.waitForExit()).as(run.output()).isZero();
          assertThat(run.output())
              .containsPattern(
                  "Backup of .*linegate\\.db written to "
                      + backup
                      + ": [0-9,]+ bytes, [0-9,]+ lots, integrity_check ok");
        }
        Instant finished = Instant.now();
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> lots(api).values().stream().anyMatch(at -> at.isAfter(finished)));
        Map<String, Instant> all = lots(api);
        assertThat(all.values())
            .as("lots committed while the backup ran")
            .anyMatch(at -> at.isAfter(started) && at.isBefore(finished));

        Set<String> copied = new HashSet<>();
        try (Connection copy = DriverManager.getConnection("jdbc:sqlite:" + backup)) {
          assertThat(copy.createStatement().executeQuery("PRAGMA integrity_check").getString(1))
              .isEqualTo("ok");
          ResultSet rows = copy.createStatement().executeQuery("SELECT lot FROM lots");
          while (rows.next()) {
            copied.add(rows.getString(1));
          }
          ResultSet mismatched =
              copy.createStatement()
                  .executeQuery(
                      "SELECT count(*) FROM lots l WHERE l.quantity <> (SELECT count(*) FROM serials s WHERE s.lot_id = l.id)");
          assertThat(mismatched.getInt(1))
              .as("lots in the copy without all their serials")
              .isZero();
        }
        assertThat(copied).containsAll(committedBefore);
        assertThat(all.keySet()).containsAll(copied).hasSizeGreaterThan(copied.size());
        try (Stream<Path> files = Files.list(backup.getParent())) {
          assertThat(files).as("no temporary file is left").containsExactly(backup);
        }

        try (GatewayProcess check =
            GatewayProcess.command(
                dir.resolve("check.log"), "check-db", "--config", config.toString())) {
          assertThat(check.waitForExit())
              .as("check-db beside the running gateway: " + check.output())
              .isZero();
        }
        assertThat(api.metrics()).containsPattern("(?m)^linegate_store_wal_bytes [0-9.E]+$");
        assertThat(api.check("store").path("state").asText()).isEqualTo("UP");
      } finally {
        plc.shutdownNow();
      }
    }
  }

  @Test
  void aBackupRefusesAnExistingFileUnlessToldADirectoryThatIsNotThereAndTheDataDirectory()
      throws Exception {
    try (MqttRig rig = MqttRig.start()) {
      Path config = TestConfig.write(dir, rig.httpPort(), rig.broker().url(), rig.erp().url());
      rig.startGateway(config, "L1", "L2");
      rig.publishAndAwaitLot("L1", TestConfig.WIDGET, 10);
      Path existing = dir.resolve("yesterday.db");
      Files.writeString(existing, "yesterday's backup");

      try (GatewayProcess run =
          GatewayProcess.command(
              dir.resolve("refused.log"),
              "backup",
              "--config",
              config.toString(),
              "--to",
              existing.toString())) {
        assertThat(run.waitForExit()).as(run.output()).isEqualTo(2);
        assertThat(run.output())
            .contains(
                "--to "
                    + existing
                    + ": the file exists; choose another name, or add --overwrite to replace it");
      }
      assertThat(Files.readString(existing)).isEqualTo("yesterday's backup");

      Path nowhere = dir.resolve("no-such-dir/linegate.db");
      try (GatewayProcess run =
          GatewayProcess.command(
              dir.resolve("nowhere.log"),
              "backup",
              "--config",
              config.toString(),
              "--to",
              nowhere.toString())) {
        assertThat(run.waitForExit()).as(run.output()).isEqualTo(2);
        assertThat(run.output())
            .contains(
                "--to " + nowhere + ": the directory " + nowhere.getParent() + " does not exist");
      }

      Path database = dir.resolve("data/linegate.db");
      try (GatewayProcess run =
          GatewayProcess.command(
              dir.resolve("live.log"),
              "backup",
              "--config",
              config.toString(),
              "--to",
              database.toString(),
              "--overwrite")) {
        assertThat(run.waitForExit()).as(run.output()).isEqualTo(2);
        assertThat(run.output())
            .contains("--to " + database + ": is in gateway.dataDir, beside the database");
      }

      try (GatewayProcess run =
          GatewayProcess.command(
              dir.resolve("overwrite.log"),
              "backup",
              "--config",
              config.toString(),
              "--to",
              existing.toString(),
              "--overwrite")) {
        assertThat(run.waitForExit()).as(run.output()).isZero();
        assertThat(run.output()).contains(", 1 lots, integrity_check ok");
      }
      try (Connection copy = DriverManager.getConnection("jdbc:sqlite:" + existing)) {
        assertThat(copy.createStatement().executeQuery("SELECT count(*) FROM lots").getInt(1))
            .isEqualTo(1);
      }
    }
  }

  private static void publish(MqttPlc plc, int n) {
    String line = n % 2 == 0 ? "L1" : "L2";
    plc.publish(line, plc.nextBatchId(line), TestConfig.WIDGET, 1000);
  }

  /** Every lot of the gateway with the time it was committed. */
  private static Map<String, Instant> lots(GatewayApi api) {
    Map<String, Instant> lots = new HashMap<>();
    String cursor = null;
    do {
      JsonNode page = api.get("/api/lots?limit=1000" + (cursor == null ? "" : "&before=" + cursor));
      for (JsonNode lot : page.get("items")) {
        lots.put(lot.get("lot").asText(), Instant.parse(lot.get("committedAt").asText()));
      }
      cursor = page.get("next").isNull() ? null : page.get("next").asText();
    } while (cursor != null);
    return lots;
  }
}
