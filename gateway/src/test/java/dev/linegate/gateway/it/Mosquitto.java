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

  private final Process process;
  private final int port;

  private Mosquitto(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  static Mosquitto start(Path dir) throws IOException {
    int port = TestConfig.freePort();
    Path conf = dir.resolve("mosquitto.conf");
    // max_queued_messages 0: no limit, so a long outage of the gateway drops nothing.
    Files.writeString(conf, "listener " + port + " 127.0.0.1\nallow_anonymous true\npersistence false\nmax_queued_messages 0\n");
    Process process = new ProcessBuilder(binary(), "-c", conf.toString()).redirectErrorStream(true).redirectOutput(dir.resolve("mosquitto.log").toFile()).start();
    Mosquitto mosquitto = new Mosquitto(process, port);
    await().atMost(Duration.ofSeconds(10)).until(mosquitto::listening);
    return mosquitto;
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
    process.destroy();
    process.waitFor(10, TimeUnit.SECONDS);
  }
}
