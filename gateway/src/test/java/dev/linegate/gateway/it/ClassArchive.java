package dev.linegate.gateway.it;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A class-data archive (CDS) of the gateway's jar, so that the many gateways the tests start load
 * their classes mapped instead of parsed: about a second less per start on this kind of machine
 * (3.0 to 2.0 s to {@code /health}), a hundred starts a run. It changes how the JVM loads the
 * classes, not what the gateway does. Made once per build of the jar, by a gateway started and
 * stopped for it; if that fails, gateways start without it.
 */
final class ClassArchive {

  private static final Duration MAKING_AT_MOST = Duration.ofSeconds(60);

  private static List<String> options;

  private ClassArchive() {}

  /** The JVM options that use the archive of {@code jar}, making it first if it is not there. */
  static synchronized List<String> options(Path jar) {
    if (options == null) {
      Path archive = jar.resolveSibling(jar.getFileName() + ".jsa");
      try {
        if (!isFresh(archive, jar)) {
          make(archive, jar);
        }
      } catch (IOException | RuntimeException e) {
        // Only slower without it: the gateways start as users start them.
        System.err.println("No class archive of " + jar + ": " + e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      options = isFresh(archive, jar) ? List.of("-XX:SharedArchiveFile=" + archive) : List.of();
    }
    return options;
  }

  /** An archive older than the jar would be refused with a warning in every gateway's output. */
  private static boolean isFresh(Path archive, Path jar) {
    try {
      return Files.isRegularFile(archive)
          && Files.getLastModifiedTime(archive).compareTo(Files.getLastModifiedTime(jar)) > 0;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The JVM writes the archive of what it loaded when it exits; a gateway that served {@code
   * /health} once has loaded what every start loads.
   */
  private static void make(Path archive, Path jar) throws IOException, InterruptedException {
    Path dir = Files.createTempDirectory("linegate-class-archive");
    int port = TestConfig.freePort();
    Path config = TestConfig.writeWithoutPeers(dir, port);
    // Beside the archive, so that the finished file takes its place in one step.
    Path written =
        archive.resolveSibling(archive.getFileName() + "." + ProcessHandle.current().pid());
    Process gateway =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:ArchiveClassesAtExit=" + written,
                "-jar",
                jar.toString(),
                "--config",
                config.toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("gateway.log").toFile())
            .start();
    boolean exited = false;
    try {
      HttpClient http = HttpClient.newHttpClient();
      HttpRequest health =
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
              .timeout(Duration.ofSeconds(2))
              .build();
      await()
          .atMost(MAKING_AT_MOST)
          .pollInterval(Duration.ofMillis(50))
          .ignoreExceptions()
          .until(
              () ->
                  !gateway.isAlive()
                      || http.send(health, HttpResponse.BodyHandlers.discarding()).statusCode()
                          > 0);
    } finally {
      gateway.destroy();
      exited = gateway.waitFor(MAKING_AT_MOST.toSeconds(), TimeUnit.SECONDS);
      if (!exited) {
        gateway.destroyForcibly();
      }
      // A JVM that did not exit by itself may have left half an archive.
      if (exited && Files.isRegularFile(written)) {
        Files.move(
            written, archive, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      }
      Files.deleteIfExists(written);
      deleteTree(dir);
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }
}
