package dev.linegate.gateway;

import dev.linegate.gateway.config.GatewayConfig;
import dev.linegate.gateway.store.Backup;
import dev.linegate.gateway.store.DamagedDatabase;
import dev.linegate.gateway.store.DatabaseCheck;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code backup --config F --to FILE}: a verified copy of the database, while the gateway runs or
 * not.
 */
@Command(
    name = "backup",
    mixinStandardHelpOptions = true,
    description =
        "Write a consistent, checked copy of the gateway's database (the gateway may run)")
final class BackupCommand implements Callable<Integer> {

  @Option(
      names = "--config",
      required = true,
      description = "the gateway's YAML configuration file")
  private Path config;

  @Option(
      names = "--to",
      required = true,
      description = "the file to write; its directory must exist")
  private Path to;

  @Option(names = "--overwrite", description = "replace --to if it exists")
  private boolean overwrite;

  @Override
  public Integer call() {
    Optional<GatewayConfig> loaded = Configuration.load(config);
    if (loaded.isEmpty()) {
      return 2;
    }
    Optional<Path> database = Configuration.database(loaded.get());
    if (database.isEmpty()) {
      return 2;
    }
    Optional<String> unusable = unusable(to.toAbsolutePath(), database.get().getParent());
    if (unusable.isPresent()) {
      System.err.println("--to " + to + ": " + unusable.get());
      return 2;
    }
    try {
      DatabaseCheck.Sound copy = Backup.write(loaded.get().dataDir(), to, overwrite);
      System.out.println(
          String.format(
              Locale.ROOT,
              "Backup of %s written to %s: %,d bytes, %,d lots, integrity_check ok",
              database.get(),
              copy.file(),
              copy.bytes(),
              copy.lots()));
      return 0;
    } catch (DamagedDatabase e) {
      System.err.println(
          "Backup failed, nothing written to " + to + ": the copy did not pass its check:");
      e.findings().forEach(finding -> System.err.println("  " + finding));
      System.err.println("Run check-db --config " + config + " on the gateway's database.");
      return 1;
    } catch (IOException | SQLException e) {
      System.err.println("Backup failed, nothing written to " + to + ": " + e);
      return 1;
    }
  }

  private Optional<String> unusable(Path target, Path dataDir) {
    if (Files.isDirectory(target)) {
      return Optional.of("is a directory; name the file to write in it");
    }
    if (!Files.isDirectory(target.getParent())) {
      return Optional.of("the directory " + target.getParent() + " does not exist");
    }
    if (sameDirectory(target.getParent(), dataDir)) {
      // With --overwrite it could even replace the database under the running gateway.
      return Optional.of(
          "is in gateway.dataDir, beside the database; a backup must not be lost with that directory: write it elsewhere");
    }
    if (Files.exists(target) && !overwrite) {
      return Optional.of("the file exists; choose another name, or add --overwrite to replace it");
    }
    return Optional.empty();
  }

  private static boolean sameDirectory(Path a, Path b) {
    try {
      return Files.isSameFile(a, b);
    } catch (IOException e) {
      return false;
    }
  }
}
