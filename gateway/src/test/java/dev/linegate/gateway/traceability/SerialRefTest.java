package dev.linegate.gateway.traceability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.linegate.gateway.core.CoreThread;
import dev.linegate.gateway.store.Database;
import dev.linegate.gateway.store.ReadPool;
import dev.linegate.gateway.store.StoreWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SerialRefTest {

  @TempDir Path dir;

  /** Without a GTIN the lookup walks the GTINs of the lots one by one: none may be skipped. */
  @Test
  void aSerialWithoutGtinIsFoundUnderEveryGtinThatHasIt() throws Exception {
    Database database = Database.open(dir);
    try (StoreWriter writer = new StoreWriter(database, 100, CoreThread.Fatal.NONE)) {
      writer
          .submit(
              tx -> {
                lot(tx, 1, "A-1", "09506000134352");
                lot(tx, 2, "A-2", "09506000134352");
                lot(tx, 3, "B-1", "09506000134369");
                lot(tx, 4, "C-1", "09506000134376");
                serial(tx, "09506000134352", "777", 2);
                serial(tx, "09506000134369", "777", 3);
                serial(tx, "09506000134376", "888", 4);
                return null;
              })
          .get(30, TimeUnit.SECONDS);
    }
    try (ReadPool reads = new ReadPool(database, 1)) {
      List<SerialRef> found = reads.read(c -> SerialRef.find(c, "777", Optional.empty()));

      assertThat(found)
          .extracting(SerialRef::gtin, SerialRef::lot)
          .containsExactlyInAnyOrder(
              tuple("09506000134352", "A-2"), tuple("09506000134369", "B-1"));
      List<SerialRef> underOtherGtin =
          reads.read(c -> SerialRef.find(c, "777", Optional.of("09506000134376")));
      assertThat(underOtherGtin).isEmpty();
    }
  }

  private static void lot(Connection tx, long id, String lot, String gtin) throws SQLException {
    tx.createStatement()
        .executeUpdate(
            "INSERT INTO lots(id, lot, line, batch_id, product, gtin, quantity, production_date, expiry_date, committed_at, origin, raw)"
                + " VALUES("
                + id
                + ", '"
                + lot
                + "', 'L1', 'B"
                + id
                + "', 'P', '"
                + gtin
                + "', 1, '2026-11-24', '2028-11-23', unixepoch('2026-11-24T00:00:00Z') * 1000, 'test', '{}')");
  }

  private static void serial(Connection tx, String gtin, String serial, long lotId)
      throws SQLException {
    tx.createStatement()
        .executeUpdate(
            "INSERT INTO serials(gtin, serial, lot_id) VALUES('"
                + gtin
                + "', '"
                + serial
                + "', "
                + lotId
                + ")");
  }
}
