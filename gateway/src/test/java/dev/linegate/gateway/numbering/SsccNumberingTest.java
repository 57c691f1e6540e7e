package dev.linegate.gateway.numbering;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.linegate.gateway.config.Gs1Config;
import dev.linegate.gateway.core.CoreThread;
import dev.linegate.gateway.gs1.Gtin;
import dev.linegate.gateway.store.Database;
import dev.linegate.gateway.store.StoreWriter;
import dev.linegate.gateway.store.Transaction;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SSCCs against a real SQLite file: valid, in order, and never issued twice, also after a restore.
 */
class SsccNumberingTest {

  private static final Gs1Config GS1 = new Gs1Config("9506000", 3, Optional.empty());

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
  void anSsccIsTheExtensionDigitThePrefixASerialReferenceAndACheckDigit() throws Exception {
    start();
    String first = next();
    assertThat(first).isEqualTo("39506000000000001" + Gtin.checkDigit("39506000000000001"));
    assertThat(Gtin.hasValidCheckDigit(first)).isTrue();
    assertThat(next()).startsWith("39506000000000002");
  }

  @Test
  void anSsccAlreadyUsedIsPassedOver() throws Exception {
    start();
    run(
        tx -> {
          tx.createStatement()
              .execute(
                  "INSERT INTO containers(sscc, level, station, line, product, children, units, packed_at, packed_by)"
                      + " VALUES('"
                      + "39506000000000001"
                      + Gtin.checkDigit("39506000000000001")
                      + "', 'case', 'PACK1', 'L1', 'P', 1, 1, 0, 'test')");
          return null;
        });
    assertThat(next()).startsWith("39506000000000002");
  }

  @Test
  void aDatabasePutBackFromABackupIssuesNoSsccItHadIssuedAfterTheBackup() throws Exception {
    start();
    Set<String> issued = new HashSet<>();
    issued.add(next());
    stop();
    Path backup = Files.copy(dir.resolve(Database.FILE_NAME), dir.resolve("backup.db"));
    start();
    for (int i = 0; i < 5; i++) {
      issued.add(next());
    }
    stop();
    Files.copy(backup, dir.resolve(Database.FILE_NAME), StandardCopyOption.REPLACE_EXISTING);
    start();
    assertThat(issued).doesNotContain(next());
  }

  @Test
  void aCounterPastItsDigitsIsRefusedNotWrapped() throws Exception {
    Gs1Config longPrefix = new Gs1Config("950600012345", 0, Optional.empty());
    start();
    run(
        tx -> {
          counters.set(tx, "sscc:0950600012345", 9_999, 1);
          return null;
        });
    assertThatThrownBy(() -> next(longPrefix)).hasMessageContaining("SSCC counter exhausted");
  }

  private String next() throws Exception {
    return next(GS1);
  }

  private String next(Gs1Config gs1) throws Exception {
    return run(
        tx -> {
          try {
            return SsccNumbering.next(tx, counters, gs1);
          } catch (NumberingException e) {
            throw new IllegalStateException(e.getMessage(), e);
          }
        });
  }

  private void start() throws Exception {
    writer = new StoreWriter(Database.open(dir), 10, CoreThread.Fatal.NONE);
    counters = run(tx -> Counters.open(tx, dir));
  }

  private void stop() throws Exception {
    run(tx -> counters.recordStopped(tx));
    writer.close();
  }

  private <T> T run(Transaction<T> work) throws Exception {
    return writer.submit(work).get(30, TimeUnit.SECONDS);
  }
}
