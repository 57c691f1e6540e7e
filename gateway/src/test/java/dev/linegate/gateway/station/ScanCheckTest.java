package dev.linegate.gateway.station;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.linegate.gateway.outbox.Outbox;
import dev.linegate.gateway.station.ScanResult.Verdict;
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
 * What one scan means, judged inside the writer's transaction against a real SQLite file: every
 * verdict is recorded, and only a good unit label verifies its serial and tells the ERP.
 */
class ScanCheckTest {

  private static final String GTIN = "09506000134352";
  private static final String GS = "\u001D";

  @TempDir Path dir;
  private TestStore store;
  private ScanCheck check;

  @BeforeEach
  void start() throws Exception {
    store = new TestStore(dir);
    check = new ScanCheck(new Outbox(new ObjectMapper(), "edge-test", List.of("http")));
    store.write(ScanCheckTest::lotWithTwoPrintedSerials);
  }

  @AfterEach
  void stop() throws Exception {
    store.close();
  }

  @Test
  void aGoodUnitLabelVerifiesItsSerialAndTellsTheErpOnceAndTheSecondScanIsFlagged()
      throws Exception {
    ScanResult first = scan(unit("LOT1", "281122", "000000000001"));
    ScanResult second = scan(unit("LOT1", "281122", "000000000001"));

    assertThat(first.verdict()).isEqualTo(Verdict.OK);
    assertThat(first.reason()).isEqualTo("verified");
    assertThat(first.lot()).contains("LOT1");
    assertThat(second.verdict()).isEqualTo(Verdict.FLAGGED);
    assertThat(second.reason())
        .isEqualTo("scanned twice: serial 000000000001 was already verified");
    assertThat(store.text("SELECT status FROM serials WHERE id = 1")).isEqualTo("verified");
    assertThat(store.text("SELECT status FROM serials WHERE id = 2")).isEqualTo("printed");
    assertThat(store.text("SELECT count(*) FROM outbox WHERE type = 'dev.linegate.label.verified'"))
        .isEqualTo("1");
    assertThat(store.text("SELECT group_concat(verdict) FROM scans")).isEqualTo("ok,flagged");
  }

  @Test
  void aLabelThatDoesNotMatchTheRecordIsFlaggedWithWhatDiffers() throws Exception {
    assertThat(scan(unit("LOT9", "281122", "000000000002")).reason())
        .isEqualTo(
            "label does not match what was printed: lot LOT9 on the label, serial 000000000002 belongs to lot LOT1");
    assertThat(scan(unit("LOT1", "281123", "000000000002")).reason())
        .isEqualTo(
            "label does not match what was printed: expiry 2028-11-23 on the label, lot LOT1 expires 2028-11-22");
    assertThat(scan(unit("LOT1", "281122", "000000000077")).reason())
        .isEqualTo("unknown serial 000000000077 for GTIN " + GTIN);
    assertThat(store.text("SELECT status FROM serials WHERE id = 2")).isEqualTo("printed");
    assertThat(store.text("SELECT count(*) FROM outbox")).isEqualTo("0");
  }

  @Test
  void aLotOnHoldLetsNoneOfItsLabelsPass() throws Exception {
    store.write(
        tx -> {
          try (Statement sql = tx.createStatement()) {
            return sql.executeUpdate("UPDATE lots SET status = 'on-hold'");
          }
        });

    ScanResult unitLabel = scan(unit("LOT1", "281122", "000000000001"));
    ScanResult lotLabel = scan("]d2" + "01" + GTIN + "17281122" + "10LOT1");

    assertThat(unitLabel.verdict()).isEqualTo(Verdict.FLAGGED);
    assertThat(unitLabel.reason()).isEqualTo("lot LOT1 is on hold");
    assertThat(lotLabel.verdict()).isEqualTo(Verdict.FLAGGED);
    assertThat(lotLabel.reason()).isEqualTo("lot LOT1 is on hold");
    assertThat(store.text("SELECT status FROM serials WHERE id = 1")).isEqualTo("printed");
  }

  @Test
  void whatIsNotGs1DataIsRejectedAndKeptAsItCameIn() throws Exception {
    ScanResult rejected = scan("hello\u0007");

    assertThat(rejected.verdict()).isEqualTo(Verdict.REJECTED);
    assertThat(rejected.reason()).isNotBlank();
    assertThat(
            store.text(
                "SELECT count(*) FROM rejects WHERE origin = 'scanner:S1' AND kind = 'scan'"))
        .isEqualTo("1");
    assertThat(store.text("SELECT verdict FROM scans")).isEqualTo("rejected");
  }

  private ScanResult scan(String raw) throws Exception {
    return store.write(
        tx -> check.judge(tx, "S1", Optional.of("L1"), raw, Optional.empty(), Instant.now()));
  }

  private static String unit(String lot, String expiry, String serial) {
    return "]d2" + "01" + GTIN + "17" + expiry + "10" + lot + GS + "21" + serial;
  }

  /** LOT1 of two units, both labels printed. */
  private static Void lotWithTwoPrintedSerials(Connection tx) throws SQLException {
    try (Statement sql = tx.createStatement()) {
      sql.execute(
          "INSERT INTO lots(id, lot, line, batch_id, product, gtin, quantity, production_date, expiry_date, committed_at, origin, raw)"
              + " VALUES(1, 'LOT1', 'L1', 'B-1', 'WIDGET-100', '"
              + GTIN
              + "', 2, '2026-11-22', '2028-11-22', unixepoch('2026-11-22T10:00:00Z') * 1000, 'test', '{}')");
      sql.execute(
          "INSERT INTO serials(id, gtin, serial, lot_id, status) VALUES(1, '"
              + GTIN
              + "', '000000000001', 1, 'printed'), (2, '"
              + GTIN
              + "', '000000000002', 1, 'printed')");
    }
    return null;
  }
}
