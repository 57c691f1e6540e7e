package dev.linegate.gateway.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damage SQLite meets before any check can run is a damaged database too, not a crash of the
 * gateway.
 */
class DatabaseCheckTest {

  @TempDir Path dir;

  @Test
  void aDatabaseWhoseHeaderIsOverwrittenIsReportedDamagedAtOpenAndByTheFullCheck()
      throws Exception {
    Database.open(dir);
    try (RandomAccessFile file =
        new RandomAccessFile(dir.resolve(Database.FILE_NAME).toFile(), "rw")) {
      file.write(
          "this is no longer an SQLite database".repeat(3).getBytes(StandardCharsets.US_ASCII));
    }
    assertThatThrownBy(() -> Database.open(dir))
        .isInstanceOf(DamagedDatabase.class)
        .hasMessageContaining(dir.resolve(Database.FILE_NAME) + " is damaged")
        .hasMessageContaining("not a database");
    assertThatThrownBy(() -> DatabaseCheck.full(dir))
        .isInstanceOf(DamagedDatabase.class)
        .hasMessageContaining("not a database");
  }

  @Test
  void aSoundDatabaseIsCountedByTheFullCheck() throws Exception {
    Database.open(dir);
    DatabaseCheck.Sound sound = DatabaseCheck.full(dir);
    assertThat(sound.file()).isEqualTo(dir.resolve(Database.FILE_NAME));
    assertThat(sound.lots()).isZero();
    assertThat(sound.bytes()).isPositive();
  }
}
