package dev.linegate.gateway.it;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.ThrowingRunnable;

/**
 * {@code ./linegate demo} as a new user starts it: the script itself, from the repository root, on
 * a PATH that holds only what it needs ({@link #TOOLS}, java; no socat, no mvn, so it cannot build
 * either: the jars are there after {@code package}), in a process group of its own as a terminal
 * gives a foreground job, so that {@link #pressCtrlC()} signals every process of it as Ctrl-C does.
 */
final class DemoScript implements AutoCloseable {

  /** What the script may run besides java. */
  private static final List<String> TOOLS = List.of("bash", "dirname", "mkdir", "rm", "sleep");

  /** The ports of one run; {@link #free()} picks them so that parallel runs do not collide. */
  record Ports(
      int mqtt,
      int erp,
      int opcua,
      int lotPrinter,
      int unitPrinter,
      int scanner,
      int kafka,
      int casePrinter,
      int packingScanner,
      int http) {
    static Ports free() {
      return new Ports(
          TestConfig.freePort(),
          TestConfig.freePort(),
          TestConfig.freePort(),
          TestConfig.freePort(),
          TestConfig.freePort(),
          TestConfig.freePort(),
          TestConfig.freePort(),
          TestConfig.freePort(),
          TestConfig.freePort(),
          TestConfig.freePort());
    }
  }

  private final Process process;
  private final Path log;
  private final Path bin;
  private final String dataMarker;

  private DemoScript(Process process, Path log, Path bin, String dataMarker) {
    this.process = process;
    this.log = log;
    this.bin = bin;
    this.dataMarker = dataMarker;
  }

  static DemoScript start(Path dir, Ports ports) throws IOException {
    for (Path jar :
        List.of(
            Path.of(System.getProperty("linegate.jar", "target/linegate-gateway.jar")),
            Path.of("../simulator/target/linegate-simulator.jar"))) {
      if (!Files.isRegularFile(jar)) {
        throw new AssertionError(
            jar.toAbsolutePath()
                + " is missing: the demo script would build it; build the reactor first (mvn package -pl gateway -am)");
      }
    }
    Path bin = Files.createDirectories(dir.resolve("bin"));
    Files.createSymbolicLink(
        bin.resolve("java"), Path.of(System.getProperty("java.home"), "bin", "java"));
    for (String tool : TOOLS) {
      Files.createSymbolicLink(bin.resolve(tool), onPath(tool));
    }
    Path data = dir.resolve("data");
    Path log = dir.resolve("demo.log");
    // Tests run in gateway/; the script is at the repository root.
    // Every signal at its default, as in a terminal's fresh foreground job: a SIGINT ignored by
    // whatever started this JVM would be inherited, and a shell cannot trap what it was born
    // ignoring.
    ProcessBuilder builder =
        new ProcessBuilder(
                onPath("setsid").toString(),
                onPath("env").toString(),
                "--default-signal",
                "../linegate",
                "demo")
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    Map<String, String> env = builder.environment();
    env.clear();
    env.put("PATH", bin.toString());
    env.put("HOME", System.getProperty("user.home"));
    env.put("LINEGATE_DATA", data.toString());
    env.put("LINEGATE_HTTP_PORT", Integer.toString(ports.http()));
    env.put("DEMO_MQTT_PORT", Integer.toString(ports.mqtt()));
    env.put("DEMO_ERP_PORT", Integer.toString(ports.erp()));
    env.put("DEMO_OPCUA_PORT", Integer.toString(ports.opcua()));
    env.put("DEMO_PRINTER_PORT", Integer.toString(ports.lotPrinter()));
    env.put("DEMO_P1_TCP_PORT", Integer.toString(ports.unitPrinter()));
    env.put("DEMO_S1_TCP_PORT", Integer.toString(ports.scanner()));
    env.put("DEMO_KAFKA_PORT", Integer.toString(ports.kafka()));
    env.put("DEMO_P3_PORT", Integer.toString(ports.casePrinter()));
    env.put("DEMO_S2_TCP_PORT", Integer.toString(ports.packingScanner()));
    // setsid and env exec the script (the JVM's child leads no group), so its pid leads the new
    // group.
    return new DemoScript(builder.start(), log, bin, "LINEGATE_DATA=" + data);
  }

  /** SIGTERM to the script alone, as a service manager or {@code kill} sends it. */
  void terminate() {
    process.destroy();
  }

  /** SIGINT to the script's whole process group, as a terminal sends it on Ctrl-C. */
  void pressCtrlC() throws IOException, InterruptedException {
    int sent =
        new ProcessBuilder(onPath("kill").toString(), "-INT", "--", "-" + process.pid())
            .inheritIO()
            .start()
            .waitFor();
    if (sent != 0) {
      throw new AssertionError("kill -INT -" + process.pid() + " exited with " + sent);
    }
  }

  /** Waits until {@code check} passes; on a timeout the failure carries the script's output. */
  void await(String what, Duration atMost, ThrowingRunnable check) {
    try {
      Awaitility.await(what).atMost(atMost).untilAsserted(check);
    } catch (ConditionTimeoutException e) {
      throw new AssertionError(e.getMessage() + "\n./linegate demo printed:\n" + output(), e);
    }
  }

  int waitForExit(long seconds) throws InterruptedException {
    if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
      throw new AssertionError(
          "./linegate demo did not exit within " + seconds + " s; its output:\n" + output());
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

  /**
   * Every live process this run started, at any depth (simulator, gateway, socat...): they all
   * inherit its LINEGATE_DATA, which names this run's temporary directory. Linux only (/proc).
   */
  List<String> processes() {
    List<String> found = new ArrayList<>();
    try (Stream<ProcessHandle> all = ProcessHandle.allProcesses()) {
      all.filter(p -> p.pid() != ProcessHandle.current().pid())
          .filter(p -> environment(p.pid()).contains(dataMarker))
          .forEach(p -> found.add(p.pid() + " " + p.info().commandLine().orElse("?")));
    }
    return found;
  }

  /** Whatever the test did, nothing of the run is left behind. */
  @Override
  public void close() throws InterruptedException, IOException {
    if (process.isAlive()) {
      process.destroy();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
    try (Stream<ProcessHandle> all = ProcessHandle.allProcesses()) {
      all.filter(p -> environment(p.pid()).contains(dataMarker))
          .forEach(ProcessHandle::destroyForcibly);
    }
    // The links themselves, before JUnit's temporary directory warns about each.
    try (Stream<Path> links = Files.list(bin)) {
      for (Path link : links.toList()) {
        Files.delete(link);
      }
    }
  }

  private static List<String> environment(long pid) {
    try {
      return List.of(
          new String(
                  Files.readAllBytes(Path.of("/proc", Long.toString(pid), "environ")),
                  StandardCharsets.UTF_8)
              .split("\0"));
    } catch (IOException | SecurityException gone) {
      // Exited meanwhile, or another user's process: not one of ours.
      return List.of();
    }
  }

  private static Path onPath(String tool) {
    Optional<Path> found =
        Stream.of(System.getenv("PATH").split(File.pathSeparator))
            .map(dir -> Path.of(dir, tool))
            .filter(Files::isExecutable)
            .findFirst();
    return found.orElseThrow(() -> new AssertionError(tool + " is not on the PATH"));
  }
}
