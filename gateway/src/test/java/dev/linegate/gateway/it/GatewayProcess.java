package dev.linegate.gateway.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The gateway as users run it: the shaded jar in a JVM of its own, which a test may kill -9. */
final class GatewayProcess implements AutoCloseable {

  private final Process process;
  private final Path log;

  private GatewayProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  static GatewayProcess start(Path config, Path log, String... extraArgs) throws IOException {
    return start("128m", Path.of("").toAbsolutePath(), config, log, extraArgs);
  }

  /** With variables in its environment, as a service's unit gives them (secrets, for one). */
  static GatewayProcess start(Path config, Path log, Map<String, String> environment)
      throws IOException {
    return start(
        "128m",
        Path.of("").toAbsolutePath(),
        List.of("--config", config.toString()),
        log,
        environment);
  }

  /**
   * With a heap of {@code maxHeap} ({@code -Xmx}), for a test of what a heap too small for the work
   * does.
   */
  static GatewayProcess start(String maxHeap, Path config, Path log, String... extraArgs)
      throws IOException {
    return start(maxHeap, Path.of("").toAbsolutePath(), config, log, extraArgs);
  }

  /**
   * In a working directory of its own, as a service is run: what the gateway writes there can be
   * seen.
   */
  static GatewayProcess startIn(Path workingDirectory, Path config, Path log, String... extraArgs)
      throws IOException {
    return start("128m", workingDirectory, config, log, extraArgs);
  }

  /**
   * A command of the jar other than the gateway itself, e.g. {@code backup --config F --to FILE}.
   */
  static GatewayProcess command(Path log, String... args) throws IOException {
    return start("128m", Path.of("").toAbsolutePath(), List.of(args), log, Map.of());
  }

  private static GatewayProcess start(
      String maxHeap, Path workingDirectory, Path config, Path log, String... extraArgs)
      throws IOException {
    List<String> args = new ArrayList<>(List.of("--config", config.toString()));
    args.addAll(List.of(extraArgs));
    return start(maxHeap, workingDirectory, args, log, Map.of());
  }

  private static GatewayProcess start(
      String maxHeap,
      Path workingDirectory,
      List<String> args,
      Path log,
      Map<String, String> environment)
      throws IOException {
    Path jar =
        Path.of(System.getProperty("linegate.jar", "target/linegate-gateway.jar")).toAbsolutePath();
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + maxHeap));
    command.addAll(ClassArchive.options(jar));
    command.addAll(List.of("-jar", jar.toString()));
    command.addAll(args);
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(workingDirectory.toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    // Tests run in gateway/; the shipped configurations find config/labels from the repository
    // root.
    builder
        .environment()
        .put("LINEGATE_HOME", Path.of("..").toAbsolutePath().normalize().toString());
    builder.environment().putAll(environment);
    Process process = builder.start();
    return new GatewayProcess(process, log);
  }

  long pid() {
    return process.pid();
  }

  /** SIGKILL: no shutdown hook, no flush, exactly like a power cut for the process. */
  void killHard() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  /** Types a line on the command's standard input, and ends it (a password, piped). */
  GatewayProcess typing(String line) throws IOException {
    try (var in = process.getOutputStream()) {
      in.write((line + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
    return this;
  }

  int waitForExit() throws InterruptedException {
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      throw new AssertionError("the gateway did not exit; its output:\n" + output());
    }
    return process.exitValue();
  }

  String output() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(no output: " + e.getMessage() + ")";
    }
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroy();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }
}
