package dev.linegate.gateway.station;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.linegate.gateway.auth.Actor;
import dev.linegate.gateway.auth.Role;
import dev.linegate.gateway.core.CoreThread;
import dev.linegate.gateway.outbox.Outbox;
import dev.linegate.gateway.printing.LabelActions;
import dev.linegate.gateway.store.Database;
import dev.linegate.gateway.store.ReadPool;
import dev.linegate.gateway.store.Refused;
import dev.linegate.gateway.store.StoreWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A label left uncertain by a restart that a station then scans exists: the scan settles it, and an
 * operator can no longer have it printed a second time.
 */
class UncertainLabelScanTest {

  private static final String SCAN =
      "]d2" + "0109506000134352" + "17281122" + "10LOT1" + "\u001D" + "21000000000001";

  @TempDir Path dir;

  @Test
  void aScanSettlesAnUncertainLabelSoItCannotBeReprintedByMistake() throws Exception {
    Database database = Database.open(dir);
    Outbox outbox = new Outbox(new ObjectMapper(), "edge-test", List.of("http"));
    try (StoreWriter writer = new StoreWriter(database, 100, CoreThread.Fatal.NONE);
        ReadPool reads = new ReadPool(database, 1)) {
      long uncertain = writer.submit(UncertainLabelScanTest::lotWithOneUncertainLabel).get();
      LabelActions labels = new LabelActions(Map.of(), writer, outbox, () -> {});

      ScanResult scan =
          writer
              .submit(
                  tx ->
                      new ScanCheck(outbox)
                          .judge(
                              tx, "S1", Optional.of("L1"), SCAN, Optional.empty(), Instant.now()))
              .get();
      assertThat(scan.verdict()).isEqualTo(ScanResult.Verdict.OK);

      Refused refused =
          catchThrowableOfType(
              Refused.class,
              () ->
                  labels.settle(
                      uncertain, false, new Actor("anna", Role.SUPERVISOR, Optional.empty())));
      assertThat(refused).as("settling it as not printed would print the serial twice").isNotNull();
      assertThat(refused.getMessage()).isEqualTo("already settled");
      String settled =
          reads.read(c -> text(c, "SELECT settled || ' by ' || settled_by FROM uncertain_labels"));
      assertThat(settled).isEqualTo("printed: scanned by scanner:S1");
      String reprints =
          reads.read(c -> text(c, "SELECT count(*) FROM print_jobs WHERE kind = 'reprint'"));
      assertThat(reprints).isEqualTo("0");
    }
  }

  /** A lot of one serial whose label was handed to the printer and then left in doubt. */
  private static long lotWithOneUncertainLabel(Connection tx) throws java.sql.SQLException {
    try (Statement sql = tx.createStatement()) {
      sql.execute(
          "INSERT INTO lots(id, lot, line, batch_id, product, gtin, quantity, production_date, expiry_date, committed_at, origin, raw)"
              + " VALUES(1, 'LOT1', 'L1', 'B-1', 'WIDGET-100', '09506000134352', 1, '2026-11-22', '2028-11-22', unixepoch('2026-11-22T10:00:00Z') * 1000, 'test', '{}')");
      sql.execute(
          "INSERT INTO serials(id, gtin, serial, lot_id) VALUES(1, '09506000134352', '000000000001', 1)");
      sql.execute(
          "INSERT INTO print_jobs(id, printer, lot_id, kind, first_serial, labels, sent, settled, created_at) VALUES(1, 'P1', 1, 'unit', 1, 1, 1, 1, 0)");
      sql.execute(
          "INSERT INTO uncertain_labels(id, job_id, position, serial_id, since) VALUES(7, 1, 1, 1, 0)");
    }
    return 7;
  }

  private static String text(Connection c, String query) throws java.sql.SQLException {
    try (Statement sql = c.createStatement();
        ResultSet row = sql.executeQuery(query)) {
      row.next();
      return row.getString(1);
    }
  }
}
