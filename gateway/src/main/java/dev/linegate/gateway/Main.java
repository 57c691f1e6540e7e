package dev.linegate.gateway;

import dev.linegate.gateway.config.ConfigException;
import dev.linegate.gateway.config.GatewayConfig;
import dev.linegate.gateway.core.JsonLogs;
import dev.linegate.gateway.store.DamagedDatabase;
import dev.linegate.gateway.store.Database;
import dev.linegate.gateway.store.NewerDatabase;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.eclipse.milo.opcua.stack.core.Stack;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code java -jar linegate-gateway.jar --config file.yaml}: exit 2 on a bad configuration, 1 on a
 * failure; {@code backup}, {@code check-db}, {@code users} and {@code tokens} are the commands that
 * run beside it.
 */
@Command(
    name = "linegate-gateway",
    mixinStandardHelpOptions = true,
    description = "Linegate MES edge gateway",
    subcommands = {
      BackupCommand.class,
      CheckDbCommand.class,
      UsersCommand.Users.class,
      UsersCommand.Tokens.class
    })
public final class Main implements Callable<Integer> {

  private static final Logger log = LoggerFactory.getLogger(Main.class);

  /** How long stopping may take after a core thread died before the process is halted. */
  private static final Duration FATAL_EXIT_PATIENCE = Duration.ofSeconds(60);

  @Spec private CommandSpec spec;

  // Not required=true: picocli would ask the subcommands' users for it too, before their own
  // --config.
  @Option(names = "--config", description = "the YAML configuration file (required)")
  private @Nullable Path config;

  @Option(names = "--check", description = "validate the configuration and exit")
  private boolean checkOnly;

  public static void main(String[] args) {
    System.exit(new CommandLine(new Main()).execute(args));
  }

  @Override
  public Integer call() throws InterruptedException {
    if (config == null) {
      throw new ParameterException(
          spec.commandLine(), "Missing required option: '--config=<config>'");
    }
    Optional<GatewayConfig> configured = Configuration.load(config);
    if (configured.isEmpty()) {
      return 2;
    }
    GatewayConfig loaded = configured.get();
    if (loaded.logging().json()) {
      JsonLogs.apply();
    }
    if (checkOnly) {
      System.out.println(config + ": OK");
      return 0;
    }
    Gateway gateway;
    try {
      gateway = Gateway.start(loaded, Main::coreDied);
    } catch (ConfigException e) {
      e.problems().forEach(p -> System.err.println(config + ": " + p));
      return 2;
    } catch (DamagedDatabase e) {
      System.err.println("gateway.dataDir: " + e.getMessage());
      System.err.println(
          "Linegate does not run on a damaged database; check-db --config "
              + config
              + " runs the full check.");
      return 1;
    } catch (NewerDatabase e) {
      System.err.println(
          "gateway.dataDir: " + Database.fileIn(loaded.dataDir()) + ": " + e.getMessage());
      System.err.println(
          "Run the Linegate that wrote it, or restore the backup taken before the upgrade"
              + " (README, Operations, Upgrades).");
      return 1;
    } catch (Exception e) {
      log.error("Linegate could not start", e);
      return 1;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  log.info("Stopping");
                  gateway.close();
                  // Process-wide Milo threads: released only here, when nothing can use them again.
                  Stack.releaseSharedResources();
                  stopped.countDown();
                },
                "shutdown"));
    stopped.await();
    return 0;
  }

  /**
   * A thread the gateway cannot run without has died: exit with 1, so that the service manager
   * (Restart=always) starts a fresh process, instead of one that looks alive and does nothing. Exit
   * runs the shutdown hook, which closes the gateway: sources first, so nothing more is received.
   * Not called on the dying thread (the hook waits for it), and halted if stopping hangs.
   */
  private static void coreDied(String thread, Throwable cause) {
    log.error(
        "Exiting with 1 because {} died ({}); the service manager starts Linegate again",
        thread,
        cause.toString());
    Thread halt =
        new Thread(
            () -> {
              try {
                Thread.sleep(FATAL_EXIT_PATIENCE.toMillis());
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              Runtime.getRuntime().halt(1);
            },
            "fatal-halt");
    halt.setDaemon(true);
    halt.start();
    new Thread(() -> System.exit(1), "fatal-exit").start();
  }
}
