package dev.linegate.gateway;

import dev.linegate.gateway.config.ConfigException;
import dev.linegate.gateway.config.ConfigLoader;
import dev.linegate.gateway.config.GatewayConfig;
import java.nio.file.Path;
import java.time.Duration;
import org.eclipse.milo.opcua.stack.core.Stack;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code java -jar linegate-gateway.jar --config file.yaml}: exit 2 on a bad configuration, 1 on a failure. */
@Command(name = "linegate-gateway", mixinStandardHelpOptions = true, description = "Linegate MES edge gateway")
public final class Main implements Callable<Integer> {

  private static final Logger log = LoggerFactory.getLogger(Main.class);
  /** How long stopping may take after a core thread died before the process is halted. */
  private static final Duration FATAL_EXIT_PATIENCE = Duration.ofSeconds(60);

  @Option(names = "--config", required = true, description = "the YAML configuration file")
  private Path config;

  @Option(names = "--check", description = "validate the configuration and exit")
  private boolean checkOnly;

  public static void main(String[] args) {
    System.exit(new CommandLine(new Main()).execute(args));
  }

  @Override
  public Integer call() throws InterruptedException {
    GatewayConfig loaded;
    try {
      loaded = new ConfigLoader(System.getenv()).load(config);
    } catch (ConfigException e) {
      System.err.println("Configuration error" + (e.problems().size() > 1 ? "s" : "") + ":");
      e.problems().forEach(p -> System.err.println("  " + p));
      return 2;
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
   * (Restart=always) starts a fresh process, instead of one that looks alive and does nothing.
   * Exit runs the shutdown hook, which closes the gateway: sources first, so nothing more is
   * received. Not called on the dying thread (the hook waits for it), and halted if stopping hangs.
   */
  private static void coreDied(String thread, Throwable cause) {
    log.error("Exiting with 1 because {} died ({}); the service manager starts Linegate again", thread, cause.toString());
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
