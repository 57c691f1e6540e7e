package dev.linegate.gateway.intake;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.linegate.gateway.config.ConfigLoader;
import dev.linegate.gateway.config.GatewayConfig;
import dev.linegate.gateway.config.LineConfig;
import dev.linegate.gateway.core.CoreThread;
import dev.linegate.gateway.numbering.Counters;
import dev.linegate.gateway.outbox.Outbox;
import dev.linegate.gateway.store.Database;
import dev.linegate.gateway.store.ReadPool;
import dev.linegate.gateway.store.StoreWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One batch inside the writer's transaction, against a real SQLite file: all of it, or nothing. */
class LotRecorderTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final LocalDate MADE = LocalDate.of(2026, 12, 3);

  @TempDir Path dir;
  private StoreWriter writer;
  private ReadPool reads;
  private LotRecorder recorder;
  private LineConfig line;

  @BeforeEach
  void start() throws Exception {
    Path config = dir.resolve("linegate.yaml");
    Files.writeString(
        config,
        """
        gateway: { id: edge-test, dataDir: %s }
        products:
          - { code: WIDGET-100, gtin: "09506000134352", shelfLifeDays: 730, serials: { mode: sequential, length: 6 } }
        lines:
          - id: L1
            lotPattern: "{line}{yy}{julian}{seq:1}"
            source: { mqtt: { broker: "tcp://127.0.0.1:1883", topic: plant/L1/batch-complete } }
        erp: { url: http://127.0.0.1:8081/api/events }
        """
            .formatted(dir.resolve("data")));
    GatewayConfig loaded = new ConfigLoader(Map.of()).load(config);
    Database database = Database.open(loaded.dataDir());
    writer = new StoreWriter(database, 100, CoreThread.Fatal.NONE);
    reads = new ReadPool(database, 1);
    Counters counters =
        writer.submit(tx -> Counters.open(tx, loaded.dataDir())).get(10, TimeUnit.SECONDS);
    recorder =
        new LotRecorder(
            loaded.id(),
            loaded.productsByCode(),
            counters,
            new Outbox(JSON, loaded.id(), List.of("http")),
            JSON);
    line = loaded.linesById().get("L1");
  }

  @AfterEach
  void stop() throws Exception {
    reads.close();
    writer.close();
  }

  @Test
  void aBatchIsOneLotWithItsSerialsAndItsEventAndTheSameBatchAgainIsAnsweredWithThatLot()
      throws Exception {
    IntakeOutcome first = record("B-1", 3);
    assertThat(first).isInstanceOf(IntakeOutcome.NewLot.class);
    String lot = first.assignedLot().orElseThrow();
    assertThat(lot).isEqualTo("L1263371");
    assertThat(
            count(
                "SELECT count(*) FROM serials s JOIN lots l ON l.id = s.lot_id WHERE l.lot = '"
                    + lot
                    + "'"))
        .isEqualTo(3);
    assertThat(count("SELECT count(DISTINCT serial) FROM serials")).isEqualTo(3);
    assertThat(
            count(
                "SELECT count(*) FROM outbox WHERE subject = '"
                    + lot
                    + "' AND type = 'dev.linegate.lot.completed'"))
        .isEqualTo(1);

    IntakeOutcome again = record("B-1", 3);
    assertThat(again).isEqualTo(new IntakeOutcome.KnownBatch(lot, "B-1"));
    assertThat(count("SELECT count(*) FROM lots")).isEqualTo(1);
    assertThat(count("SELECT count(*) FROM serials")).isEqualTo(3);
    assertThat(count("SELECT count(*) FROM outbox")).isEqualTo(1);
  }

  /** {seq:1} numbers nine lots a day: the tenth is a reject that leaves nothing half-written. */
  @Test
  void aBatchThatCannotBeNumberedIsARejectAndLeavesNoTrace() throws Exception {
    for (int i = 1; i <= 9; i++) {
      assertThat(record("B-" + i, 2)).isInstanceOf(IntakeOutcome.NewLot.class);
    }
    IntakeOutcome tenth = record("B-10", 2);

    assertThat(tenth).isInstanceOf(IntakeOutcome.Rejected.class);
    assertThat(((IntakeOutcome.Rejected) tenth).reason()).startsWith("lot counter exhausted");
    assertThat(count("SELECT count(*) FROM lots")).isEqualTo(9);
    assertThat(count("SELECT count(*) FROM serials")).isEqualTo(18);
    assertThat(count("SELECT count(*) FROM outbox")).isEqualTo(9);
  }

  private IntakeOutcome record(String batchId, int quantity) throws Exception {
    BatchRequest batch =
        new BatchRequest(
            batchId, "WIDGET-100", quantity, Optional.empty(), MADE, MADE.plusDays(730));
    return writer
        .submit(tx -> recorder.record(tx, line, batch, "test", new byte[0]))
        .get(10, TimeUnit.SECONDS);
  }

  private long count(String sql) throws SQLException {
    return reads.read(
        c -> {
          try (ResultSet row = c.createStatement().executeQuery(sql)) {
            row.next();
            return row.getLong(1);
          }
        });
  }
}
