package dev.linegate.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A gateway that runs on a damaged database may hand out a serial twice (a broken unique index) or
 * lose lots without a word. It must refuse to start and say what is wrong and how to restore;
 * check-db must tell a damaged database from a good one.
 */
class CorruptDatabaseIT {

  @TempDir Path dir;

  @Test
  void aDamagedPageStopsTheStartWithExitOneAndCheckDbNamesIt() throws Exception {
    Path config;
    try (MqttRig rig = MqttRig.start()) {
      config = TestConfig.write(dir, rig.httpPort(), rig.broker().url(), rig.erp().url());
      rig.startGateway(config, "L1", "L2");
      for (int i = 0; i < 4; i++) {
        rig.publishAndAwaitLot(i % 2 == 0 ? "L1" : "L2", TestConfig.WIDGET, 1500);
      }
      rig.stopGateway();
    }
    Path database = dir.resolve("data/linegate.db");
    assertThat(database.resolveSibling("linegate.db-wal"))
        .as("a stopped gateway leaves its data in the database file")
        .doesNotExist();

    try (GatewayProcess check =
        GatewayProcess.command(
            dir.resolve("check-good.log"), "check-db", "--config", config.toString())) {
      assertThat(check.waitForExit()).as(check.output()).isZero();
      assertThat(check.output())
          .contains(database + ": ok (integrity_check, foreign_key_check)")
          .contains("4 lots");
    }

    long page = damageALeafPageOfTheSerialsInTheMiddle(database);

    try (GatewayProcess gateway = GatewayProcess.start(config, dir.resolve("start.log"))) {
      assertThat(gateway.waitForExit()).as(gateway.output()).isEqualTo(1);
      assertThat(gateway.output())
          .contains("gateway.dataDir: " + database + " is damaged (quick_check):")
          .contains("page " + page)
          .contains("README, Operations, Restore");
    }
    try (GatewayProcess check =
        GatewayProcess.command(
            dir.resolve("check-bad.log"), "check-db", "--config", config.toString())) {
      assertThat(check.waitForExit()).as(check.output()).isEqualTo(1);
      assertThat(check.output())
          .contains(database + " is damaged (integrity_check):")
          .contains("page " + page);
    }
  }

  /**
   * Going back to an older jar without its backup (README, Operations, Upgrades): the older gateway
   * leaves the newer database alone and says so in two lines, not in a stack trace.
   */
  @Test
  void aDatabaseFromANewerLinegateStopsTheStartWithExitOneAndSaysWhatToDo() throws Exception {
    Path config =
        TestConfig.write(
            dir, TestConfig.freePort(), "tcp://127.0.0.1:1", "http://127.0.0.1:1/api/events");
    Path database = dir.resolve("data/linegate.db");
    dev.linegate.gateway.store.Database.open(dir.resolve("data"));
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + database)) {
      c.createStatement().execute("PRAGMA user_version = 99");
    }

    try (GatewayProcess gateway = GatewayProcess.start(config, dir.resolve("newer.log"))) {
      assertThat(gateway.waitForExit()).as(gateway.output()).isEqualTo(1);
      assertThat(gateway.output())
          .contains(
              "gateway.dataDir: "
                  + database
                  + ": the database has schema version 99, newer than this Linegate knows")
          .contains("restore the backup taken before the upgrade (README, Operations, Upgrades)")
          .doesNotContain("\tat ");
    }
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + database);
        ResultSet version = c.createStatement().executeQuery("PRAGMA user_version")) {
      assertThat(version.getInt(1)).as("the newer database is not touched").isEqualTo(99);
    }
  }

  /** Overwrites one b-tree page of the serials table, halfway through its leaves, with garbage. */
  private static long damageALeafPageOfTheSerialsInTheMiddle(Path database) throws Exception {
    long page;
    int pageSize;
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + database)) {
      ResultSet leaves =
          c.createStatement()
              .executeQuery(
                  "SELECT pageno FROM dbstat WHERE name = 'serials' AND pagetype = 'leaf' ORDER BY pageno");
      List<Long> pages = new ArrayList<>();
      while (leaves.next()) {
        pages.add(leaves.getLong(1));
      }
      assertThat(pages).as("leaf pages of serials").hasSizeGreaterThan(10);
      page = pages.get(pages.size() / 2);
      pageSize = c.createStatement().executeQuery("PRAGMA page_size").getInt(1);
    }
    byte[] garbage = new byte[pageSize];
    Arrays.fill(garbage, (byte) 0x5A);
    try (RandomAccessFile file = new RandomAccessFile(database.toFile(), "rw")) {
      file.seek((page - 1) * pageSize);
      file.write(garbage);
    }
    return page;
  }
}
