package dev.linegate.gateway.numbering;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.linegate.gateway.core.CoreThread;
import dev.linegate.gateway.store.Database;
import dev.linegate.gateway.store.StoreWriter;
import dev.linegate.gateway.store.Transaction;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The high-water record against a real SQLite file: whatever copy of the database is put back, or
 * lost, a counter never comes back below a number it has handed out.
 */
class CountersTest {

  private static final String LOT = "lot:L126337{seq:4}";

  @TempDir Path dir;
  private StoreWriter writer;
  private Counters counters;

  @AfterEach
  void close() {
    if (writer != null) {
      writer.close();
    }
  }

  @Test
  void aFreshStartWritesTheRecordWithTheDatabasesKeyReadableByTheOwnerOnly() throws Exception {
    start();
    HighWater record = record();
    assertThat(record.serialKey()).hasSize(32).isEqualTo(counters.serialKey());
    assertThat(Files.getPosixFilePermissions(file()))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
  }

  @Test
  void theRecordIsRaisedBeforeTheCounterPassesItAndOncePerStepNotPerNumber() throws Exception {
    start();
    long before = record().generation();
    for (long value = 1; value <= 150; value++) {
      long set = value;
      run(
          tx -> {
            counters.set(tx, LOT, set, 100);
            return null;
          });
      assertThat(record().reservation(LOT)).as("record at " + value).isGreaterThanOrEqualTo(value);
    }
    // 1 raises the reservation to 101, 102 to 202: two writes for 150 numbers.
    assertThat(record().generation() - before).isEqualTo(2);
  }

  @Test
  void aCleanStopAndStartMovesNothing() throws Exception {
    start();
    setAndStop(LOT, 10);
    start();
    assertThat(current(LOT)).isEqualTo(10);
  }

  @Test
  void aDatabasePutBackFromACopyHasItsCountersMovedPastWhatWasIssuedAfterTheCopy()
      throws Exception {
    start();
    setAndStop(LOT, 10);
    Path backup = Files.copy(dir.resolve(Database.FILE_NAME), dir.resolve("backup.db"));
    start();
    // Inside the reservation: the record is not written, yet these numbers must not come back.
    setAndStop(LOT, 50);
    Files.copy(backup, dir.resolve(Database.FILE_NAME), StandardCopyOption.REPLACE_EXISTING);
    start();
    assertThat(current(LOT)).isEqualTo(110);
  }

  @Test
  void aGatewayThatWasNotStoppedCleanlyMovesOnToItsReservations() throws Exception {
    start();
    run(
        tx -> {
          counters.set(tx, LOT, 10, 100);
          return null;
        });
    writer.close();
    start();
    assertThat(current(LOT)).isEqualTo(110);
  }

  @Test
  void aLostRecordIsWrittenAnewFromTheDatabaseWithTheSameKey() throws Exception {
    start();
    byte[] key = counters.serialKey();
    setAndStop(LOT, 10);
    Files.delete(file());
    start();
    assertThat(current(LOT)).isEqualTo(10);
    assertThat(record().reservation(LOT)).isEqualTo(10);
    assertThat(record().serialKey()).isEqualTo(key);
  }

  @Test
  void aDatabaseFromBeforeTheRecordGetsOneWithItsCountersAsTheyAre() throws Exception {
    writer = new StoreWriter(Database.open(dir), 10, CoreThread.Fatal.NONE);
    run(
        tx ->
            tx.createStatement()
                .executeUpdate("INSERT INTO counters(name, value) VALUES('" + LOT + "', 10)"));
    counters = run(tx -> Counters.open(tx, dir));
    assertThat(current(LOT)).isEqualTo(10);
    assertThat(record().reservation(LOT)).isEqualTo(10);
  }

  @Test
  void aLostDatabaseTakesTheKeyAndTheReservationsFromTheRecord() throws Exception {
    start();
    byte[] key = counters.serialKey();
    setAndStop(LOT, 10);
    Files.delete(dir.resolve(Database.FILE_NAME));
    start();
    assertThat(current(LOT)).isEqualTo(110);
    assertThat(counters.serialKey()).isEqualTo(key);
  }

  @Test
  void anOlderRecordPutBackIsRaisedToTheDatabase() throws Exception {
    start();
    writer.close();
    Path oldRecord = Files.copy(file(), dir.resolve("old.highwater"));
    start();
    setAndStop(LOT, 500);
    Files.copy(oldRecord, file(), StandardCopyOption.REPLACE_EXISTING);
    start();
    assertThat(current(LOT)).isEqualTo(500);
    assertThat(record().reservation(LOT)).isGreaterThanOrEqualTo(500);
  }

  @Test
  void theRecordOfAnotherDatabaseIsRefused() throws Exception {
    start();
    writer.close();
    Path other = Files.createDirectory(dir.resolve("other"));
    writer = new StoreWriter(Database.open(other), 10, CoreThread.Fatal.NONE);
    writer.submit(tx -> Counters.open(tx, other)).get(30, TimeUnit.SECONDS);
    writer.close();
    Files.copy(other.resolve(HighWater.FILE_NAME), file(), StandardCopyOption.REPLACE_EXISTING);
    assertThatThrownBy(this::start).hasMessageContaining("belongs to another database");
  }

  @Test
  void anUnreadableRecordStopsTheStartNamingTheFileButNotItsContent() throws Exception {
    Files.writeString(file(), "{\"generation\": 3, \"serialKey\": \"c2VjcmV0\"");
    assertThatThrownBy(this::start)
        .hasMessageContaining(file() + " cannot be read")
        .hasMessageNotContaining("c2VjcmV0");
  }

  private void start() throws Exception {
    writer = new StoreWriter(Database.open(dir), 10, CoreThread.Fatal.NONE);
    counters = run(tx -> Counters.open(tx, dir));
  }

  private void setAndStop(String counter, long value) throws Exception {
    run(
        tx -> {
          counters.set(tx, counter, value, 100);
          return counters.recordStopped(tx);
        });
    writer.close();
  }

  private long current(String counter) throws Exception {
    return run(tx -> counters.current(tx, counter));
  }

  private <T> T run(Transaction<T> work) throws Exception {
    return writer.submit(work).get(30, TimeUnit.SECONDS);
  }

  private HighWater record() throws Exception {
    return HighWater.read(file()).orElseThrow();
  }

  private Path file() {
    return dir.resolve(HighWater.FILE_NAME);
  }
}
