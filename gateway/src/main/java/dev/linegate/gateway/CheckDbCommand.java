package dev.linegate.gateway;

import dev.linegate.gateway.config.GatewayConfig;
import dev.linegate.gateway.store.DamagedDatabase;
import dev.linegate.gateway.store.DatabaseCheck;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code check-db --config F}: SQLite's full check of the database; exit 0 sound, 1 damaged. */
@Command(
    name = "check-db",
    mixinStandardHelpOptions = true,
    description = "Run the full integrity check of the gateway's database (the gateway may run)")
final class CheckDbCommand implements Callable<Integer> {

  @Option(
      names = "--config",
      required = true,
      description = "the gateway's YAML configuration file")
  private Path config;

  @Override
  public Integer call() {
    Optional<GatewayConfig> loaded = Configuration.load(config);
    if (loaded.isEmpty() || Configuration.database(loaded.get()).isEmpty()) {
      return 2;
    }
    try {
      DatabaseCheck.Sound sound = DatabaseCheck.full(loaded.get().dataDir());
      System.out.println(
          String.format(
              Locale.ROOT,
              "%s: ok (integrity_check, foreign_key_check), %,d bytes, %,d lots",
              sound.file(),
              sound.bytes(),
              sound.lots()));
      return 0;
    } catch (DamagedDatabase e) {
      System.err.println(e.getMessage());
      return 1;
    } catch (IOException | SQLException e) {
      System.err.println("check-db failed: " + e);
      return 1;
    }
  }
}
