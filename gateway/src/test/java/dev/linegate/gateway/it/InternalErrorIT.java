package dev.linegate.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An error inside the gateway is answered with a generic 500 and an id; what went wrong (an
 * exception's text can name files, queries, hosts) is in the gateway's log only, under that id.
 * Provoked as the field does: a database page that goes bad on the industrial PC's disk while the
 * gateway runs.
 */
class InternalErrorIT {

  @TempDir Path dir;

  @Test
  void aQueryOnACorruptedIndexAnswersAGeneric500WhoseIdLeadsToTheCauseInTheLog() throws Exception {
    try (MqttRig rig = MqttRig.start()) {
      Path config = TestConfig.write(dir, rig.httpPort(), rig.broker().url(), rig.erp().url());
      Path log = dir.resolve("gateway.log");
      String lot;
      try (GatewayProcess gateway = GatewayProcess.start(config, log)) {
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> rig.api().reachable() && rig.api().call("GET", "/health").status() == 200);
        lot = rig.publishAndAwaitLot("L1", TestConfig.WIDGET, 20).get("lot").asText();
      }
      try (GatewayProcess gateway = GatewayProcess.start(config, log)) {
        await().atMost(Duration.ofSeconds(30)).until(() -> rig.api().reachable());
        // Gone bad while the gateway runs: a damaged database is refused at start (quick_check).
        corruptIndex(dir.resolve("data/linegate.db"), "serials_by_lot");
        GatewayApi.Answer answer = rig.api().call("GET", "/api/lots/" + lot + "/serials");

        assertThat(answer.status()).isEqualTo(500);
        assertThat(answer.body().get("error").asText()).isEqualTo("internal error");
        HttpApiLimitsIT.assertNoJavaText(answer.body().toString());
        Matcher id =
            Pattern.compile("error ([0-9a-f]{8})").matcher(answer.body().get("detail").asText());
        assertThat(id.find()).as("the answer gives an error id: " + answer.body()).isTrue();
        // Logged through an asynchronous appender: the line may reach the output after the answer.
        String cause =
            "GET /api/lots/"
                + lot
                + "/serials failed \\(error "
                + id.group(1)
                + "\\)[^\\n]*\\n[^\\n]*SQLITE_CORRUPT";
        await()
            .atMost(Duration.ofSeconds(10))
            .untilAsserted(() -> assertThat(gateway.output()).containsPattern(cause));
      }
    }
  }

  /**
   * Overwrites the root page of an index with bytes that are no b-tree page, as a bad sector would.
   */
  private static void corruptIndex(Path database, String index) throws Exception {
    long page;
    int pageSize;
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + database)) {
      ResultSet root =
          c.createStatement()
              .executeQuery("SELECT rootpage FROM sqlite_master WHERE name = '" + index + "'");
      root.next();
      page = root.getLong(1);
      pageSize = c.createStatement().executeQuery("PRAGMA page_size").getInt(1);
    }
    try (RandomAccessFile file = new RandomAccessFile(database.toFile(), "rw")) {
      byte[] garbage = new byte[pageSize];
      Arrays.fill(garbage, (byte) 0xFF);
      file.seek((page - 1) * pageSize);
      file.write(garbage);
    }
  }
}
