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

  /** Listeners after the plain one on {@link #port}, e.g. a TLS one. */
  private final String moreListeners;

  private final int tlsPort;
  private Process process;

  private Mosquitto(Path dir, int port, int tlsPort, String moreListeners) {
    this.dir = dir;
    this.port = port;
    this.tlsPort = tlsPort;
    this.moreListeners = moreListeners;
  }

  static Mosquitto start(Path dir) throws IOException {
    Mosquitto mosquitto = new Mosquitto(dir, TestConfig.freePort(), 0, "");
    mosquitto.start();
    return mosquitto;
  }

  /**
   * With a second listener on TLS ({@link #tlsUrl}) that asks for a client certificate signed by
   * {@code pem}'s CA and for {@code user}'s password; the plain listener stays open for the
   * simulated PLC.
   */
  static Mosquitto startWithTls(Path dir, TestCertificates.Pem pem, String user, String password)
      throws IOException, InterruptedException {
    Path passwords = dir.resolve("passwords");
    Process passwd =
        new ProcessBuilder("mosquitto_passwd", "-c", "-b", passwords.toString(), user, password)
            .redirectErrorStream(true)
            .start();
    if (passwd.waitFor() != 0) {
      throw new IOException(
          "mosquitto_passwd: " + new String(passwd.getInputStream().readAllBytes()));
    }
    int tlsPort = TestConfig.freePort();
    String tls =
        "listener %d 127.0.0.1\ncafile %s\ncertfile %s\nkeyfile %s\nrequire_certificate true\n"
                .formatted(tlsPort, pem.ca(), pem.serverCert(), pem.serverKey())
            + "allow_anonymous false\npassword_file "
            + passwords
            + "\n";
    Mosquitto mosquitto = new Mosquitto(dir, TestConfig.freePort(), tlsPort, tls);
    mosquitto.start();
    return mosquitto;
  }

  /** Starts (again) on the same port, as a broker coming back after an outage. */
  void start() throws IOException {
    Path conf = dir.resolve("mosquitto.conf");
    // max_queued_messages 0: no limit, so a long outage of the gateway drops nothing.
    Files.writeString(
        conf,
        // As root, mosquitto becomes the user mosquitto after reading its configuration, and the
        // test's private directory, with the certificates and the password file, is not theirs.
        (moreListeners.isEmpty() ? "" : "per_listener_settings true\nuser root\n")
            + "persistence false\nmax_queued_messages 0\nlistener "
            + port
            + " 127.0.0.1\nallow_anonymous true\n"
            + moreListeners);
    process =
        new ProcessBuilder(binary(), "-c", conf.toString())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("mosquitto.log").toFile()))
            .start();
    // A broker that refuses its configuration exits: say why rather than wait for the port.
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> {
              if (!process.isAlive()) {
                throw new IllegalStateException(
                    "mosquitto exited: " + Files.readString(dir.resolve("mosquitto.log")));
              }
              return listening();
            });
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

  /** By name, as a plant's broker is reached: its certificate is for localhost. */
  String tlsUrl() {
    return "ssl://localhost:" + tlsPort;
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
