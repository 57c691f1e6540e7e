package dev.linegate.gateway.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.linegate.gateway.rejects.Reject;
import dev.linegate.gateway.rejects.RejectLog;
import dev.linegate.gateway.traceability.LotQueries;
import dev.linegate.gateway.traceability.LotView;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A database an older Linegate wrote, brought up to date at start on a real SQLite file. */
class SchemaTest {

  @TempDir Path dir;

  @Test
  void aVersion6DatabaseKeepsEveryLotAndRejectWithItsTimesInMilliseconds() throws Exception {
    restoreVersion6();

    try (TestStore store = new TestStore(dir)) {
      assertThat(store.text("PRAGMA user_version")).isEqualTo(String.valueOf(Schema.latest()));
      LotView first = store.reads().read(c -> LotQueries.lot(c, "L1263260001")).orElseThrow().lot();
      LotView second =
          store.reads().read(c -> LotQueries.lot(c, "L1263260002")).orElseThrow().lot();
      Reject reject =
          store.reads().read(c -> RejectLog.list(c, 10, Optional.empty())).items().get(0);

      // Microseconds as Instant.toString() wrote them keep their milliseconds.
      assertThat(first.committedAt()).isEqualTo(Instant.parse("2026-11-22T10:00:00.123Z"));
      assertThat(first.completedAt()).contains(Instant.parse("2026-11-22T09:59:59Z"));
      assertThat(second.committedAt()).isEqualTo(Instant.parse("2026-11-22T10:00:01Z"));
      assertThat(second.completedAt()).isEmpty();
      assertThat(second.status()).isEqualTo("on_hold");
      assertThat(reject.receivedAt()).isEqualTo(Instant.parse("2026-11-22T10:00:02.500Z"));
      assertThat(reject.raw()).isEqualTo("{\"quantity\": 0}");
      assertThat(store.text("SELECT count(*) FROM serials")).isEqualTo("3");
      assertThat(store.text("SELECT typeof(committed_at) FROM lots WHERE id = 1"))
          .isEqualTo("integer");
      assertThat(store.text("SELECT typeof(received_at) FROM rejects")).isEqualTo("integer");
      // Version 11: the events of the one output there was are the HTTP output's.
      assertThat(store.text("SELECT output || ' ' || state || ' ' || event_id FROM outbox"))
          .isEqualTo("http pending ev-1");
      assertThat(store.text("PRAGMA integrity_check")).isEqualTo("ok");
    }
  }

  /** What {@code restore} would put in the data directory: the dump of a version 6 database. */
  private void restoreVersion6() throws Exception {
    String dump;
    try (InputStream in = SchemaTest.class.getResourceAsStream("/store/linegate-v6.sql")) {
      dump = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    String script =
        dump.lines().filter(line -> !line.startsWith("--")).collect(Collectors.joining("\n"));
    try (Connection c =
            DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(Database.FILE_NAME));
        Statement sql = c.createStatement()) {
      for (String statement : script.split(";\n")) {
        if (!statement.isBlank()) {
          sql.execute(statement);
        }
      }
      // An event still waiting for the ERP when the older Linegate stopped.
      sql.execute(
          "INSERT INTO outbox(event_id, type, subject, payload, created_at, next_attempt_at)"
              + " VALUES('ev-1', 'dev.linegate.lot.completed', 'L1263260001', '{}',"
              + " '2026-11-22T10:00:00.123Z', '2026-11-22T10:00:00.123Z')");
    }
  }
}
