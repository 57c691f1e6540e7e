package dev.linegate.gateway.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.linegate.gateway.core.CoreThread;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A reader that holds a snapshot (a backup, a long export) keeps the writer's auto-checkpoint from
 * starting the WAL over, and the WAL grows with every commit. Over months that is the disk: the
 * housekeeping checkpoint must bring it back once the reader is gone, and must not hold up the
 * writer while the reader is still there.
 */
class WalCheckpointTest {

  private static final int ROWS = 400;
  private static final String PAYLOAD = "x".repeat(64 * 1024);

  @TempDir Path dir;

  @Test
  void theCheckpointEmptiesTheWalThatALongReaderLetGrowAndDoesNotWaitForTheReader()
      throws Exception {
    Database database = Database.open(dir);
    try (StoreWriter writer = new StoreWriter(database, 1000, CoreThread.Fatal.NONE);
        Connection reader = database.connect()) {
      reader.setAutoCommit(false);
      try (ResultSet snapshot =
          reader.createStatement().executeQuery("SELECT count(*) FROM rejects")) {
        assertThat(snapshot.getInt(1)).isZero();
        for (int i = 0; i < ROWS; i++) {
          writer.submit(WalCheckpointTest::reject).get(30, TimeUnit.SECONDS);
        }
        long grown = database.walBytes();
        assertThat(grown)
            .as("the WAL while the reader holds its snapshot")
            .isGreaterThan(ROWS * (long) PAYLOAD.length());

        long before = System.nanoTime();
        Database.Checkpoint blocked = database.checkpoint();
        assertThat(blocked.truncated()).as("a checkpoint while the reader is there").isFalse();
        assertThat(Duration.ofNanos(System.nanoTime() - before))
            .as("how long the checkpoint waited for the reader")
            .isLessThan(Duration.ofSeconds(5));
        assertThat(writer.submit(WalCheckpointTest::reject).get(30, TimeUnit.SECONDS))
            .as("the writer commits after it")
            .isEqualTo(1);
      }
      reader.rollback();

      Database.Checkpoint done = database.checkpoint();
      assertThat(done.truncated()).isTrue();
      assertThat(done.walBytes()).isZero();
      assertThat(database.walBytes()).isZero();
    }
    try (ReadPool reads = new ReadPool(database, 1)) {
      int rejects =
          reads.read(
              tx -> tx.createStatement().executeQuery("SELECT count(*) FROM rejects").getInt(1));
      assertThat(rejects).as("nothing lost").isEqualTo(ROWS + 1);
    }
  }

  private static int reject(Connection tx) throws SQLException {
    try (PreparedStatement insert =
        tx.prepareStatement(
            "INSERT INTO rejects(kind, origin, received_at, reason, raw) VALUES('batch', 'test', unixepoch('2026-01-01T00:00:00Z') * 1000, 'test', ?)")) {
      insert.setString(1, PAYLOAD);
      return insert.executeUpdate();
    }
  }
}
