package dev.linegate.gateway.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.linegate.gateway.core.CoreThread;
import dev.linegate.gateway.store.Database;
import dev.linegate.gateway.store.ReadPool;
import dev.linegate.gateway.store.StoreWriter;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What becomes of delivery attempts when the store writer's group they were written in fails. */
class AttemptLogTest {

  @TempDir Path dir;

  /**
   * The writer replays a failed group one piece at a time. The attempts of the rolled-back first
   * run must be written by the replay, once each: an attempt neither recorded nor reported as not
   * recorded keeps its event in flight for ever, and its lot never moves again.
   */
  @Test
  void attemptsTakenByAGroupThatFailedAreRecordedWhenTheWriterReplaysIt() throws Exception {
    Database database = Database.open(dir);
    try (StoreWriter writer = new StoreWriter(database, 1000, CoreThread.Fatal.NONE);
        ReadPool reads = new ReadPool(database, 1)) {
      List<Long> ids = new ArrayList<>();
      for (String lot : List.of("LOT-A", "LOT-B", "LOT-C")) {
        ids.add(writer.submit(tx -> append(tx, lot)).get(10, TimeUnit.SECONDS));
      }
      // Hold the writer, so that the attempts' write and a failing piece queue up as one group.
      CountDownLatch holding = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      writer.submit(
          tx -> {
            holding.countDown();
            return awaitQuietly(release);
          });
      holding.await(10, TimeUnit.SECONDS);
      long now = System.currentTimeMillis();
      List<AttemptLog.Attempt> finished =
          List.of(
              new AttemptLog.Attempt(ids.get(0), 1, new DeliveryResult.Delivered(), now, now),
              new AttemptLog.Attempt(
                  ids.get(1), 1, new DeliveryResult.Retry("HTTP 503 busy"), now, now + 500),
              new AttemptLog.Attempt(
                  ids.get(2), 1, new DeliveryResult.Dead("HTTP 400 no such product"), now, now));
      CompletableFuture<List<AttemptLog.Recorded>> told =
          writer.submit(tx -> AttemptLog.record(tx, finished));
      CompletableFuture<Object> failing =
          writer.submit(
              tx -> {
                throw new SQLException("a piece of the same group that fails");
              });
      release.countDown();

      assertThat(failing).failsWithin(10, TimeUnit.SECONDS);
      assertThat(told.get(10, TimeUnit.SECONDS))
          .extracting(r -> r.attempt().id())
          .containsExactlyElementsOf(ids);
      assertThat(states(reads)).containsExactly("delivered", "pending", "dead");
      assertThat(attempts(reads)).containsExactly(1, 1, 1);
    }
  }

  private static long append(java.sql.Connection tx, String lot) throws SQLException {
    new Outbox(new ObjectMapper(), "edge-test", List.of("http"))
        .append(
            tx,
            EventType.LOT_STATUS_CHANGED,
            "L1",
            lot,
            Instant.now(),
            "{\"lot\":\"" + lot + "\"}");
    try (ResultSet id = tx.createStatement().executeQuery("SELECT last_insert_rowid()")) {
      return id.getLong(1);
    }
  }

  private static boolean awaitQuietly(CountDownLatch latch) throws SQLException {
    try {
      return latch.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SQLException(e);
    }
  }

  private static List<String> states(ReadPool reads) throws SQLException {
    return column(reads, "SELECT state FROM outbox ORDER BY id", row -> row.getString(1));
  }

  private static List<Integer> attempts(ReadPool reads) throws SQLException {
    return column(reads, "SELECT attempts FROM outbox ORDER BY id", row -> row.getInt(1));
  }

  private interface Column<T> {
    T read(ResultSet row) throws SQLException;
  }

  private static <T> List<T> column(ReadPool reads, String sql, Column<T> column)
      throws SQLException {
    return reads.read(
        c -> {
          try (PreparedStatement select = c.prepareStatement(sql);
              ResultSet row = select.executeQuery()) {
            List<T> values = new ArrayList<>();
            while (row.next()) {
              values.add(column.read(row));
            }
            return values;
          }
        });
  }
}
