package dev.linegate.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTTP API's limits, through real sockets to a gateway run as a service runs it (its own
 * process and working directory): what a client on the plant network can make it hold, write or
 * say.
 */
class HttpApiLimitsIT {

  /**
   * {@code gateway.http.idleTimeoutSeconds}: short, so that waiting it out costs little, and long
   * enough that the connection cap's test opens its connections well within it on a busy machine.
   */
  private static final Duration IDLE_TIMEOUT = Duration.ofSeconds(8);

  private static final int MAX_CONNECTIONS = 128;
  private static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @TempDir static Path dir;
  private static MqttRig rig;
  private static Path workingDirectory;
  private static GatewayProcess gateway;
  private static GatewayApi api;

  @BeforeAll
  static void start() throws Exception {
    rig = MqttRig.start();
    workingDirectory = Files.createDirectory(dir.resolve("work"));
    Path config = TestConfig.write(dir, rig.httpPort(), rig.broker().url(), rig.erp().url());
    TestConfig.idleTimeout(config, rig.httpPort(), IDLE_TIMEOUT);
    gateway = GatewayProcess.startIn(workingDirectory, config, dir.resolve("gateway.log"));
    api = rig.api();
    api.awaitUp(Duration.ofSeconds(30));
  }

  @AfterAll
  static void stop() throws Exception {
    gateway.close();
    rig.close();
  }

  /**
   * Java's own HTTP client asks every plain-HTTP server to upgrade to HTTP/2 ({@code Upgrade:
   * h2c}). The gateway's limits are those of HTTP/1.1, and an upgraded connection in the middle of
   * a large answer broke the client (seen in a full run: "Frame type(117) ... exceeds
   * MAX_FRAME_SIZE"): it answers in HTTP/1.1, whatever the client asks.
   */
  @Test
  void aClientAskingToUpgradeToHttp2IsAnsweredInHttp11() throws Exception {
    HttpClient upgrading = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();

    HttpResponse<String> answer =
        upgrading.send(
            HttpRequest.newBuilder(uri("/api/lots?limit=1000"))
                .header("Cookie", api.session())
                .GET()
                .build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(answer.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
  }

  /** Vert.x keeps uploaded files by default, before any handler has looked at the request. */
  @Test
  void aMultipartUploadIsRefusedAndNoFileIsWritten() throws Exception {
    String boundary = "linegate-boundary";
    String body =
        "--"
            + boundary
            + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.bin\"\r\nContent-Type: application/octet-stream\r\n\r\n"
            + "x".repeat(10_000)
            + "\r\n--"
            + boundary
            + "--\r\n";
    HttpResponse<String> answer =
        send(
            HttpRequest.newBuilder(uri("/api/lots/L1/hold"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofString(body)));

    assertThat(answer.statusCode()).isEqualTo(415);
    assertThat(answer.body()).contains("\"error\":\"JSON only\"");
    try (Stream<Path> written = Files.list(workingDirectory)) {
      assertThat(written)
          .as("nothing written in the gateway's working directory (no file-uploads/)")
          .isEmpty();
    }
  }

  @Test
  void aBodyOverTheLimitIsRefusedWith413AsJson() throws Exception {
    HttpResponse<String> answer =
        send(
            HttpRequest.newBuilder(uri("/api/lots/L1/hold"))
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"reason\": \"" + "x".repeat(1 << 20) + "\"}")));
    assertThat(answer.statusCode()).isEqualTo(413);
    assertThat(answer.body())
        .startsWith("{")
        .contains("\"error\":\"body too large\"")
        .contains("64 KiB");
  }

  /**
   * A client that sends a body without end is cut off once past the limit: with a heap of 128 MB
   * the gateway could not hold 512 MB of it, and it still answers afterwards.
   */
  @Test
  void anEndlessBodyIsCutOffAtTheLimitAndTheGatewayCarriesOn() throws Exception {
    try (Socket socket = new Socket("127.0.0.1", rig.httpPort())) {
      socket.setSoTimeout(30_000);
      socket
          .getOutputStream()
          .write(
              ("POST /api/lots/L1/hold HTTP/1.1\r\nHost: gateway\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
      byte[] chunk =
          ("10000\r\n" + "x".repeat(0x10000) + "\r\n").getBytes(StandardCharsets.US_ASCII);
      long sent = 0;
      try {
        while (sent < 512L << 20) {
          socket.getOutputStream().write(chunk);
          sent += 0x10000;
        }
      } catch (IOException closedByTheGateway) {
        // What a server does to a body it will not read.
      }
      assertThat(sent)
          .as("bytes the gateway took before it stopped reading")
          .isLessThan(512L << 20);
    }
    assertThat(api.call("GET", "/health").status()).isEqualTo(200);
    assertThat(gateway.output()).doesNotContain("OutOfMemoryError");
  }

  @Test
  void aKeepAliveConnectionLeftIdleIsClosedAfterTheIdleTimeout() throws Exception {
    try (Socket socket = new Socket("127.0.0.1", rig.httpPort())) {
      socket.setSoTimeout((int) IDLE_TIMEOUT.multipliedBy(2).toMillis());
      assertThat(get(socket, "/health")).startsWith("HTTP/1.1 200");
      long idleSince = System.nanoTime();
      assertThat(socket.getInputStream().read()).as("closed by the gateway").isEqualTo(-1);
      assertThat(Duration.ofNanos(System.nanoTime() - idleSince))
          .isBetween(IDLE_TIMEOUT.minusSeconds(1), IDLE_TIMEOUT.plusSeconds(10));
    }
  }

  @Test
  void anOpenLiveFeedOnAQuietLineOutlivesTheIdleTimeoutOnItsHeartbeats() throws Exception {
    try (Socket socket = new Socket("127.0.0.1", rig.httpPort())) {
      socket.setSoTimeout((int) IDLE_TIMEOUT.multipliedBy(2).toMillis());
      assertThat(get(socket, "/api/live", "Cookie: " + api.session() + "\r\n"))
          .startsWith("HTTP/1.1 200");
      long openSince = System.nanoTime();
      InputStream in = socket.getInputStream();
      StringBuilder heard = new StringBuilder();
      while (Duration.ofNanos(System.nanoTime() - openSince).compareTo(IDLE_TIMEOUT.plusSeconds(2))
          < 0) {
        int b = in.read();
        assertThat(b).as("still open after " + heard).isNotEqualTo(-1);
        heard.append((char) b);
      }
      assertThat(heard.toString()).contains(": ping");
    }
  }

  @Test
  void connectionsBeyondTheCapAreClosedAtOnceAndAcceptedAgainWhenOthersClose() throws Exception {
    List<Socket> open = new ArrayList<>();
    try {
      int answered = 0;
      int refused = 0;
      while (refused < 5) {
        Socket socket = new Socket("127.0.0.1", rig.httpPort());
        socket.setSoTimeout(10_000);
        open.add(socket);
        if (get(socket, "/health").startsWith("HTTP/1.1 200")) {
          answered++;
        } else {
          refused++;
        }
        assertThat(answered)
            .as("connections held open at once")
            .isLessThanOrEqualTo(MAX_CONNECTIONS);
      }
      // Other clients of this test (the API helper) may hold a few connections of their own.
      assertThat(answered).isGreaterThan(MAX_CONNECTIONS - 8);
    } finally {
      for (Socket socket : open) {
        socket.close();
      }
    }
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> {
              try (Socket socket = new Socket("127.0.0.1", rig.httpPort())) {
                socket.setSoTimeout(10_000);
                return get(socket, "/health").startsWith("HTTP/1.1 200");
              }
            });
  }

  /** A client's mistake is a 400 in plain words, not a 500 with the server's exception. */
  @Test
  void aMalformedQueryOrBodyIsA400ThatNamesTheProblemWithoutJavaInternals() throws Exception {
    try (Socket socket = new Socket("127.0.0.1", rig.httpPort())) {
      socket.setSoTimeout(10_000);
      String answer = get(socket, "/api/lots?line=%E0%A4%A");
      assertThat(answer).startsWith("HTTP/1.1 400").contains("\"error\":\"bad query\"");
      assertNoJavaText(answer);
    }
    for (String body : List.of("\"text\"", "[1]", "12", "{\"reason\":", "xx")) {
      GatewayApi.Answer answer = api.post("/api/lots/L1/hold", body);
      assertThat(answer.status()).as(body).isEqualTo(400);
      assertThat(answer.body().get("error").asText()).isEqualTo("bad body");
      assertNoJavaText(answer.body().toString());
    }
  }

  static void assertNoJavaText(String answer) {
    assertThat(answer)
        .doesNotContainIgnoringCase("exception")
        .doesNotContain("java.")
        .doesNotContain("io.vertx")
        .doesNotContain("class ")
        .doesNotContain("SQLITE")
        .doesNotContain("REDACTED");
  }

  private static URI uri(String path) {
    return URI.create("http://127.0.0.1:" + rig.httpPort() + path);
  }

  private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return HTTP.send(
        request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
  }

  /**
   * One keep-alive GET on the socket: the status line, headers and body as text, or what came
   * before the gateway closed the connection (empty if it closed at once).
   */
  private static String get(Socket socket, String path) throws IOException {
    return get(socket, path, "");
  }

  /** {@code headers}: more header lines, each ending in CRLF. */
  private static String get(Socket socket, String path, String headers) throws IOException {
    try {
      socket
          .getOutputStream()
          .write(
              ("GET " + path + " HTTP/1.1\r\nHost: gateway\r\n" + headers + "\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
    } catch (IOException closed) {
      return "";
    }
    InputStream in = socket.getInputStream();
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
      int b;
      try {
        b = in.read();
      } catch (IOException reset) {
        b = -1;
      }
      if (b < 0) {
        return head.toString(StandardCharsets.US_ASCII);
      }
      head.write(b);
    }
    String answered = head.toString(StandardCharsets.US_ASCII);
    int length =
        answered
            .lines()
            .filter(l -> l.toLowerCase().startsWith("content-length:"))
            .map(l -> Integer.parseInt(l.substring(15).trim()))
            .findFirst()
            .orElse(0);
    return answered + new String(in.readNBytes(length), StandardCharsets.UTF_8);
  }
}
