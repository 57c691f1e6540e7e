package dev.linegate.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.linegate.gateway.config.ConfigLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The shipped unit is what the README promises: its own user, restarted for ever, one writable
 * path.
 */
class SystemdUnitTest {

  private static final Path UNIT = Path.of("../config/systemd/linegate.service");

  @Test
  void theUnitRestartsForEverButNotOnABadConfigurationAndWritesOnlyTheDataDirectory()
      throws Exception {
    Map<String, String> service = section("Service");
    assertThat(service)
        .containsEntry("User", "linegate")
        .containsEntry("Restart", "always")
        .containsEntry("RestartPreventExitStatus", "2");
    assertThat(section("Unit")).containsEntry("StartLimitIntervalSec", "0");
    assertThat(service.get("ExecStart"))
        .contains(
            "-XX:+ExitOnOutOfMemoryError",
            "-jar /opt/linegate/linegate-gateway.jar",
            "--config /etc/linegate/linegate.yaml");
    assertThat(service)
        .containsEntry("ProtectSystem", "strict")
        .containsEntry("ReadWritePaths", "/var/lib/linegate")
        .containsEntry("NoNewPrivileges", "yes");
    // The gateway's own stop may take up to 60 s after a core thread died; systemd must not kill it
    // sooner.
    assertThat(Integer.parseInt(service.get("TimeoutStopSec"))).isGreaterThan(60);

    // The example plant's data directory is the one path the unit lets the service write.
    Path dataDir =
        new ConfigLoader(Map.of("LINEGATE_HOME", ".."))
            .load(Path.of("../config/example-plant.yaml"))
            .dataDir();
    assertThat(dataDir).isEqualTo(Path.of(service.get("ReadWritePaths")));
  }

  /** key=value lines of one [section]; a later key wins, as in systemd for single-valued keys. */
  private static Map<String, String> section(String name) throws Exception {
    Map<String, String> keys = new HashMap<>();
    String current = "";
    List<String> lines = Files.readAllLines(UNIT);
    for (String line : lines) {
      String trimmed = line.strip();
      if (trimmed.startsWith("[")) {
        current = trimmed.substring(1, trimmed.length() - 1);
      } else if (current.equals(name) && !trimmed.startsWith("#") && trimmed.contains("=")) {
        keys.put(
            trimmed.substring(0, trimmed.indexOf('=')),
            trimmed.substring(trimmed.indexOf('=') + 1));
      }
    }
    return keys;
  }
}
