package dev.linegate.gateway.printing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.linegate.gateway.outbox.Outbox;
import dev.linegate.gateway.store.TestStore;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A printer's queue in the database (a real SQLite file): a job per lot, labels marked sent before
 * they leave, settled from the printer's count, and labels in doubt set aside for an operator.
 */
public class PrintQueueTest {

  private static final Instant NOW = Instant.parse("2026-12-03T10:00:00Z");

  @TempDir Path dir;
  private TestStore store;
  private PrintQueue queue;

  @BeforeEach
  void start() throws Exception {
    store = new TestStore(dir);
    queue =
        new PrintQueue(
            new Outbox(new ObjectMapper(), "edge-test", List.of("http")), new ObjectMapper());
  }

  @AfterEach
  void stop() throws Exception {
    store.close();
  }

  @Test
  void jobsPrintOneAfterTheOtherAndTheirSerialsTurnPrintedWhenThePrinterHasPrintedThem()
      throws Exception {
    write(tx -> lot(tx, 1, "LOT1", 3));
    write(tx -> lot(tx, 2, "LOT2", 2));

    PrintJob first = next().orElseThrow();
    assertThat(first.lot()).isEqualTo("LOT1");
    assertThat(first.labels()).isEqualTo(3);
    assertThat(waiting()).isEqualTo(5);
    assertThat(labels(first))
        .extracting(label -> label.serial().orElseThrow())
        .containsExactly("S1-1", "S1-2", "S1-3");

    write(
        tx -> {
          PrintQueue.markSent(tx, first.id(), 3);
          return null;
        });
    PrintJob half = write(tx -> queue.markPrinted(tx, first, 2, "P1", NOW));
    assertThat(statuses(1)).isEqualTo("printed,printed,assigned");
    assertThat(next().orElseThrow().lot())
        .as("the next job waits until this one is settled")
        .isEqualTo("LOT1");

    write(tx -> queue.markPrinted(tx, half, 3, "P1", NOW));
    assertThat(statuses(1)).isEqualTo("printed,printed,printed");
    assertThat(next().orElseThrow().lot()).isEqualTo("LOT2");
    assertThat(waiting()).isEqualTo(2);
    assertThat(store.text("SELECT count(*) FROM outbox WHERE type = 'dev.linegate.label.printed'"))
        .isEqualTo("1");
    assertThat(store.text("SELECT json_extract(payload, '$.data.serials') FROM outbox"))
        .isEqualTo("[\"S1-1\",\"S1-2\",\"S1-3\"]");
  }

  /**
   * Labels sent before a restart that the printer no longer holds: listed as uncertain, their
   * serials neither printed nor sent again, and the job moves on.
   */
  @Test
  void labelsInDoubtAreSetAsideForAnOperatorAndLeftOutOfThePrintedEvent() throws Exception {
    write(tx -> lot(tx, 1, "LOT1", 3));
    PrintJob job = next().orElseThrow();
    write(
        tx -> {
          PrintQueue.markSent(tx, job.id(), 2);
          return null;
        });

    PrintJob settled = write(tx -> queue.markUncertain(tx, job, 2, "P1", NOW));
    write(tx -> queue.markPrinted(tx, settled, 3, "P1", NOW));

    assertThat(store.text("SELECT group_concat(position) FROM uncertain_labels")).isEqualTo("1,2");
    assertThat(statuses(1)).isEqualTo("assigned,assigned,printed");
    assertThat(store.text("SELECT json_extract(payload, '$.data.serials') FROM outbox"))
        .isEqualTo("[\"S1-3\"]");
    assertThat(next()).isEmpty();
  }

  private interface Write<T> {
    T run(Connection tx) throws SQLException;
  }

  private <T> T write(Write<T> work) throws Exception {
    return store.write(work::run);
  }

  /** A lot of {@code units} serials {@code S<lot>-1...}, queued for printer P1. */
  public static Void lot(Connection tx, int id, String lot, int units) throws SQLException {
    try (Statement sql = tx.createStatement()) {
      sql.execute(
          "INSERT INTO lots(id, lot, line, batch_id, product, gtin, quantity, production_date, expiry_date, committed_at, origin, raw)"
              + " VALUES("
              + id
              + ", '"
              + lot
              + "', 'L1', 'B-"
              + id
              + "', 'WIDGET-100', '09506000134352', "
              + units
              + ", '2026-12-03', '2028-12-03', unixepoch('2026-12-03T10:00:00Z') * 1000, 'test', '{}')");
      for (int unit = 1; unit <= units; unit++) {
        sql.execute(
            "INSERT INTO serials(gtin, serial, lot_id) VALUES('09506000134352', 'S"
                + id
                + "-"
                + unit
                + "', "
                + id
                + ")");
      }
    }
    PrintQueue.enqueueLot(tx, "P1", id, true, NOW);
    return null;
  }

  private long waiting() throws SQLException {
    return store.reads().<Long>read(c -> PrintQueue.waiting(c, "P1"));
  }

  private Optional<PrintJob> next() throws SQLException {
    return store.reads().<Optional<PrintJob>>read(c -> PrintQueue.next(c, "P1"));
  }

  private List<LabelData> labels(PrintJob job) throws SQLException {
    return store.reads().<List<LabelData>>read(c -> PrintQueue.labels(c, job, 0, job.labels()));
  }

  private String statuses(long lotId) throws SQLException {
    return store.text(
        "SELECT group_concat(status) FROM (SELECT status FROM serials WHERE lot_id = "
            + lotId
            + " ORDER BY id)");
  }
}
