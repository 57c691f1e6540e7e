package dev.linegate.gateway.it;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** A real mosquitto broker (Debian's), for MQTT 5 and for what the embedded broker does not do. */
final class Mosquitto implements AutoCloseable {

  private final Path dir;
  private final int port;
  private Process process;

  private Mosquitto(Path dir, int port) {
    this.dir = dir;
    this.port = port;
  }

  static Mosquitto start(Path dir) throws IOException {
    Mosquitto mosquitto = new Mosquitto(dir, TestConfig.freePort());
    mosquitto.start();
    return mosquitto;
  }

  /** Starts (again) on the same port, as a broker coming back after an outage. */
  void start() throws IOException {
    Path conf = dir.resolve("mosquitto.conf");
    // max_queued_messages 0: no limit, so a long outage of the gateway drops nothing.
    Files.writeString(
        conf,
        "listener "
            + port
            + " 127.0.0.1\nallow_anonymous true\npersistence false\nmax_queued_messages 0\n");
    process =
        new ProcessBuilder(binary(), "-c", conf.toString())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("mosquitto.log").toFile()))
            .start();
    await().atMost(Duration.ofSeconds(10)).until(this::listening);
  }

  void stop() throws InterruptedException {
    process.destroy();
    process.waitFor(10, TimeUnit.SECONDS);
    await().atMost(Duration.ofSeconds(10)).until(() -> !listening());
  }

  /** How many times a client with this id has connected, as mosquitto logged it. */
  long connects(String clientId) throws IOException {
    try (var lines = Files.lines(dir.resolve("mosquitto.log"))) {
      return lines
          .filter(
              line ->
                  line.contains("New client connected") && line.contains(" as " + clientId + " "))
          .count();
    }
  }

  String url() {
    return "tcp://127.0.0.1:" + port;
  }

  private boolean listening() {
    try (Socket ignored = new Socket("127.0.0.1", port)) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** Debian installs it in /usr/sbin, which is not on every user's PATH. */
  private static String binary() {
    return Files.isExecutable(Path.of("/usr/sbin/mosquitto")) ? "/usr/sbin/mosquitto" : "mosquitto";
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      stop();
    }
  }
}
