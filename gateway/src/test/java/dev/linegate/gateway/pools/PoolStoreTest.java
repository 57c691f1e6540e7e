package dev.linegate.gateway.pools;

import static org.assertj.core.api.Assertions.assertThat;

import dev.linegate.gateway.config.ProductConfig;
import dev.linegate.gateway.config.ProductConfig.Alphabet;
import dev.linegate.gateway.config.ProductConfig.SerialMode;
import dev.linegate.gateway.config.ProductConfig.SerialSpec;
import dev.linegate.gateway.store.TestStore;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a page of serials from the provider may put in the pool, on a real SQLite file. */
class PoolStoreTest {

  private static final String GTIN = "09506000134352";
  private static final SerialSpec FORMAT =
      new SerialSpec(
          SerialMode.RANDOM,
          6,
          Alphabet.NUMERIC,
          Optional.empty(),
          ProductConfig.Reprint.SAME_SERIAL);

  @TempDir Path dir;

  @Test
  void aPageKeepsOnlyNewSerialsOfTheFormatAndSaysWhyItRefusedTheOthers() throws Exception {
    try (TestStore store = new TestStore(dir)) {
      store.write(tx -> PoolStore.newRequest(tx, GTIN, 10, Instant.now()));
      String first = store.text("SELECT request_id FROM pool_requests");
      PoolStore.Received received =
          store.write(
              tx ->
                  PoolStore.receive(
                      tx,
                      first,
                      GTIN,
                      FORMAT,
                      List.of("000001", "000002", "00003", "00000A", "000002")));
      assertThat(received.kept()).isEqualTo(2);
      assertThat(received.refused())
          .containsExactly(
              "00003: 5 characters, not 6",
              "00000A: 'A' is not in the alphabet",
              "000002: twice in one page");

      // The same page read again after a restart: known, not refused, not kept twice.
      PoolStore.Received again =
          store.write(tx -> PoolStore.receive(tx, first, GTIN, FORMAT, List.of("000001")));
      assertThat(again.kept()).isZero();
      assertThat(again.refused()).isEmpty();

      // Another request bringing a serial the pool has: the provider gave it twice.
      PoolStore.OpenRequest second =
          store.write(tx -> PoolStore.newRequest(tx, GTIN, 10, Instant.now()));
      PoolStore.Received twice =
          store.write(
              tx ->
                  PoolStore.receive(
                      tx, second.requestId(), GTIN, FORMAT, List.of("000001", "000003")));
      assertThat(twice.kept()).isEqualTo(1);
      assertThat(twice.refused()).containsExactly("000001: received before, in request " + first);
      assertThat(store.reads().<Integer>read(c -> PoolStore.unassigned(c, GTIN))).isEqualTo(3);
      assertThat(store.reads().<Integer>read(c -> PoolStore.unassignedUpTo(c, GTIN, 2)))
          .isEqualTo(2);
    }
  }

  @Test
  void aLotTakesTheSerialsInTheOrderReceivedAndTheyLeaveThePool() throws Exception {
    try (TestStore store = new TestStore(dir)) {
      PoolStore.OpenRequest request =
          store.write(tx -> PoolStore.newRequest(tx, GTIN, 3, Instant.now()));
      store.write(
          tx ->
              PoolStore.receive(
                  tx, request.requestId(), GTIN, FORMAT, List.of("000030", "000010", "000020")));
      long lot =
          store.write(
              tx -> {
                tx.createStatement()
                    .execute(
                        "INSERT INTO lots(lot, line, batch_id, product, gtin, quantity, production_date, expiry_date, committed_at, origin, raw)"
                            + " VALUES('L1', 'L1', 'B1', 'P', '"
                            + GTIN
                            + "', 2, '2026-12-04', '2027-12-04', 0, 'test', '{}')");
                return 1L;
              });
      List<String> issued = new ArrayList<>();
      store.write(
          tx -> {
            PoolStore.take(tx, GTIN, lot, 2, issued::add);
            return null;
          });
      assertThat(issued).containsExactly("000030", "000010");
      assertThat(
              store.text(
                  "SELECT group_concat(serial) FROM (SELECT serial FROM serials ORDER BY id)"))
          .isEqualTo("000030,000010");
      assertThat(store.reads().<Integer>read(c -> PoolStore.unassigned(c, GTIN))).isEqualTo(1);

      // A serial already issued here cannot come from the provider as new.
      PoolStore.OpenRequest next =
          store.write(tx -> PoolStore.newRequest(tx, GTIN, 1, Instant.now()));
      tx(store, "INSERT INTO serials(gtin, serial, lot_id) VALUES('" + GTIN + "', '000099', 1)");
      assertThat(
              store
                  .write(
                      tx ->
                          PoolStore.receive(tx, next.requestId(), GTIN, FORMAT, List.of("000099")))
                  .refused())
          .containsExactly("000099: already issued by this gateway");
    }
  }

  /**
   * The pool's rate is read every second: it must read the last hour's lots of the GTIN, not all
   * the GTIN's lots since the gateway was installed.
   */
  @Test
  void theRateReadsOnlyTheLastHoursLots() throws Exception {
    try (TestStore store = new TestStore(dir)) {
      String plan =
          store
              .reads()
              .read(
                  c -> {
                    try (var explain =
                            c.prepareStatement("EXPLAIN QUERY PLAN " + PoolStore.USED_SINCE);
                        var row = explain.executeQuery()) {
                      row.next();
                      return row.getString("detail");
                    }
                  });
      assertThat(plan).contains("(gtin=? AND committed_at>?)");
    }
  }

  private static void tx(TestStore store, String sql) throws Exception {
    store.write(
        tx -> {
          tx.createStatement().execute(sql);
          return null;
        });
  }
}
