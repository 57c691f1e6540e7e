package dev.linegate.gateway.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.linegate.connectors.ConnectorStatus;
import dev.linegate.gateway.core.CoreThread;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreWriterTest {

  @TempDir Path dir;

  @Test
  void aFailingWriteIsUndoneAloneAndTheOthersInItsGroupCommit() throws Exception {
    Database database = Database.open(dir);
    List<CompletableFuture<Integer>> results = new ArrayList<>();
    try (StoreWriter writer = new StoreWriter(database, 1000, CoreThread.Fatal.NONE)) {
      for (int i = 0; i < 200; i++) {
        int n = i;
        results.add(
            writer.submit(
                tx -> {
                  tx.createStatement()
                      .executeUpdate(
                          "INSERT INTO counters(name, value) VALUES('c" + n + "', " + n + ")");
                  if (n == 100) {
                    throw new SQLException("this one fails");
                  }
                  return n;
                }));
      }
      CompletableFuture.allOf(
              results.stream().filter(f -> f != results.get(100)).toArray(CompletableFuture[]::new))
          .get(30, TimeUnit.SECONDS);
      assertThatThrownBy(() -> results.get(100).get(30, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .hasMessageContaining("this one fails");
    }
    try (ReadPool reads = new ReadPool(database, 1)) {
      assertThat(count(reads, "SELECT count(*) FROM counters")).isEqualTo(199);
      assertThat(count(reads, "SELECT count(*) FROM counters WHERE name = 'c100'")).isZero();
    }
  }

  /**
   * MQTT wants PUBACKs in the order the messages came: results are released in submission order.
   */
  @Test
  void resultsAreReleasedInSubmissionOrderAfterTheCommit() throws Exception {
    Database database = Database.open(dir);
    List<Integer> released = new CopyOnWriteArrayList<>();
    try (StoreWriter writer = new StoreWriter(database, 1000, CoreThread.Fatal.NONE);
        ReadPool reads = new ReadPool(database, 1)) {
      // Hold the writer so that every callback is attached before any result is released.
      java.util.concurrent.CountDownLatch allSubmitted = new java.util.concurrent.CountDownLatch(1);
      writer.submit(
          tx -> {
            try {
              return allSubmitted.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              throw new SQLException(e);
            }
          });
      List<CompletableFuture<Boolean>> visibleWhenReleased = new ArrayList<>();
      for (int i = 0; i < 500; i++) {
        int n = i;
        CompletableFuture<Boolean> visible = new CompletableFuture<>();
        visibleWhenReleased.add(visible);
        writer
            .submit(
                tx ->
                    tx.createStatement()
                        .executeUpdate("INSERT INTO counters(name, value) VALUES('c" + n + "', 1)"))
            .thenRun(
                () -> {
                  released.add(n);
                  try {
                    visible.complete(
                        count(reads, "SELECT count(*) FROM counters WHERE name = 'c" + n + "'")
                            == 1);
                  } catch (SQLException e) {
                    visible.completeExceptionally(e);
                  }
                });
      }
      allSubmitted.countDown();
      CompletableFuture.allOf(visibleWhenReleased.toArray(CompletableFuture[]::new))
          .get(30, TimeUnit.SECONDS);
      assertThat(visibleWhenReleased).allMatch(CompletableFuture::join);
      assertThat(released).isSorted().hasSize(500);
    }
  }

  /**
   * What waits on a commit (an acknowledgment to a slow broker, logging, the live feed) runs after
   * it on a thread of its own: the writer has committed the next writes meanwhile.
   */
  @Test
  void aSlowPostCommitActionDoesNotHoldUpTheNextCommits() throws Exception {
    Database database = Database.open(dir);
    try (StoreWriter writer = new StoreWriter(database, 1000, CoreThread.Fatal.NONE);
        ReadPool reads = new ReadPool(database, 1)) {
      CountDownLatch actionRunning = new CountDownLatch(1);
      CountDownLatch actionMayEnd = new CountDownLatch(1);
      CompletableFuture<Void> slowAction =
          writer
              .submit(
                  tx ->
                      tx.createStatement()
                          .executeUpdate("INSERT INTO counters(name, value) VALUES('first', 1)"))
              .thenRun(
                  () -> {
                    actionRunning.countDown();
                    try {
                      actionMayEnd.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                      Thread.currentThread().interrupt();
                    }
                  });
      assertThat(actionRunning.await(10, TimeUnit.SECONDS)).isTrue();

      List<CompletableFuture<Integer>> later = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        int n = i;
        later.add(
            writer.submit(
                tx ->
                    tx.createStatement()
                        .executeUpdate(
                            "INSERT INTO counters(name, value) VALUES('later" + n + "', 1)")));
      }
      // Committed while the first one's action still runs; released only after it, in order.
      org.awaitility.Awaitility.await()
          .atMost(java.time.Duration.ofSeconds(10))
          .until(
              () -> count(reads, "SELECT count(*) FROM counters WHERE name LIKE 'later%'") == 50);
      assertThat(later).noneMatch(CompletableFuture::isDone);
      actionMayEnd.countDown();
      slowAction.get(10, TimeUnit.SECONDS);
      CompletableFuture.allOf(later.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
    }
  }

  /**
   * An Error (an OutOfMemoryError on a huge batch) must not leave futures that never complete:
   * nothing would be acknowledged, and nothing would tell anyone that writing has stopped.
   */
  @Test
  void anErrorInAWriteFailsEveryPendingAndLaterWriteAndIsFatalOnce() throws Exception {
    Database database = Database.open(dir);
    List<String> deaths = new CopyOnWriteArrayList<>();
    CompletableFuture<String> fatal = new CompletableFuture<>();
    CoreThread.Fatal recorder =
        (thread, cause) -> {
          deaths.add(thread + ": " + cause.getMessage());
          fatal.complete(thread);
        };
    try (StoreWriter writer = new StoreWriter(database, 1000, recorder)) {
      assertThat(writer.status().state()).isEqualTo(ConnectorStatus.State.UP);
      CountDownLatch queued = new CountDownLatch(1);
      CompletableFuture<Object> dying =
          writer.submit(
              tx -> {
                try {
                  queued.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                  throw new SQLException(e);
                }
                throw new OutOfMemoryError("Java heap space (test)");
              });
      List<CompletableFuture<Integer>> behind = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        behind.add(writer.submit(tx -> 1));
      }
      queued.countDown();

      assertThatThrownBy(() -> dying.get(10, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .hasMessageContaining("Java heap space");
      for (CompletableFuture<Integer> waiting : behind) {
        assertThatThrownBy(() -> waiting.get(10, TimeUnit.SECONDS))
            .isInstanceOf(ExecutionException.class)
            .hasMessageContaining("the store writer died");
      }
      assertThatThrownBy(() -> writer.submit(tx -> 2).get(10, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .hasMessageContaining("the store writer died");
      assertThat(writer.status().name()).isEqualTo("store");
      assertThat(writer.status().state()).isEqualTo(ConnectorStatus.State.DOWN);
      assertThat(writer.status().detail())
          .isEqualTo("store-writer died: OutOfMemoryError: Java heap space (test)");
      assertThat(fatal.get(10, TimeUnit.SECONDS)).isEqualTo("store-writer");
      assertThat(deaths).containsExactly("store-writer: Java heap space (test)");
    }
    assertThat(deaths).as("closing a dead writer is no second death").hasSize(1);
  }

  @Test
  void closingIsNoDeathAndLaterWritesAreRefused() throws Exception {
    List<Throwable> deaths = new CopyOnWriteArrayList<>();
    StoreWriter writer =
        new StoreWriter(Database.open(dir), 1000, (thread, cause) -> deaths.add(cause));
    CompletableFuture<Integer> before = writer.submit(tx -> 1);
    writer.close();

    assertThat(before.get(10, TimeUnit.SECONDS)).isEqualTo(1);
    assertThatThrownBy(() -> writer.submit(tx -> 2).get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasMessageContaining("the store is closed");
    assertThat(deaths).isEmpty();
  }

  @Test
  void aDatabaseFromANewerLinegateIsNotTouched() throws Exception {
    Database.open(dir);
    try (var connection =
        java.sql.DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(Database.FILE_NAME))) {
      connection.createStatement().execute("PRAGMA user_version = 99");
    }
    assertThatThrownBy(() -> Database.open(dir))
        .hasMessageContaining("newer than this Linegate knows");
  }

  /** Closes what it opens: an open result set would pin the connection to an old snapshot. */
  private static long count(ReadPool reads, String sql) throws SQLException {
    return reads.read(
        c -> {
          try (var statement = c.createStatement();
              ResultSet row = statement.executeQuery(sql)) {
            return row.getLong(1);
          }
        });
  }
}
