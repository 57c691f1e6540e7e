package dev.linegate.gateway;

import dev.linegate.gateway.config.ConfigException;
import dev.linegate.gateway.config.ConfigLoader;
import dev.linegate.gateway.config.GatewayConfig;
import dev.linegate.gateway.store.Database;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Loads {@code --config} for every command alike: a bad file prints every problem, and the command
 * exits 2.
 */
final class Configuration {

  private Configuration() {}

  static Optional<GatewayConfig> load(Path file) {
    try {
      return Optional.of(new ConfigLoader(System.getenv()).load(file));
    } catch (ConfigException e) {
      System.err.println("Configuration error" + (e.problems().size() > 1 ? "s" : "") + ":");
      e.problems().forEach(p -> System.err.println("  " + p));
      return Optional.empty();
    }
  }

  /**
   * The database of the configured data directory, for the commands that read it beside the
   * gateway; empty, with the problem printed, when there is none (the wrong configuration?).
   */
  static Optional<Path> database(GatewayConfig config) {
    Path file = Database.fileIn(config.dataDir());
    if (!Files.isRegularFile(file)) {
      System.err.println(
          "gateway.dataDir: "
              + config.dataDir()
              + " holds no "
              + Database.FILE_NAME
              + " ("
              + file
              + " does not exist): is this the gateway's configuration?");
      return Optional.empty();
    }
    return Optional.of(file);
  }
}
