package dev.linegate.gateway.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * OS locks belong to the process: a second gateway in the same JVM (as tests embed them) must be
 * refused without opening the lock file, whose closing would drop the first one's lock.
 */
class DataDirLockTest {

  @TempDir Path dir;

  @Test
  void aSecondLockInTheSameProcessIsRefusedAndTheFirstStaysHeldUntilClosed() throws Exception {
    try (DataDirLock first = DataDirLock.acquire(dir)) {
      assertThat(Files.readString(dir.resolve(DataDirLock.FILE_NAME)))
          .startsWith("the gateway with pid " + ProcessHandle.current().pid() + " on host ");
      assertThatThrownBy(() -> DataDirLock.acquire(dir))
          .isInstanceOf(DataDirLock.InUse.class)
          .hasMessageContaining("pid " + ProcessHandle.current().pid());
    }
    try (DataDirLock again = DataDirLock.acquire(dir)) {
      assertThat(again).isNotNull();
    }
  }
}
