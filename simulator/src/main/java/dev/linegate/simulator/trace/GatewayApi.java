package dev.linegate.simulator.trace;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The parts of the gateway's HTTP API the benchmark reads. One {@link HttpClient}, so that timed
 * requests reuse kept-alive connections, as a browser at the line would.
 */
final class GatewayApi {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final int PAGE = 1000;

  /** A lot as {@code GET /api/lots} lists it: what a unit label of it carries, and its size. */
  record Lot(String lot, String gtin, String expiryDate, int quantity, String batchId) {}

  // HTTP/1.1 with keep-alive, as a browser at the line talks to a plain-http gateway.
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private final String base;
  private final Optional<String> token;

  /** {@code token}: a bearer token of the gateway's ({@code tokens create}), for its API. */
  GatewayApi(URI gateway, Optional<String> token) {
    base = gateway.toString().replaceAll("/+$", "");
    this.token = token;
  }

  /** {@code GET path} answered 200, as JSON. */
  JsonNode get(String path) throws IOException, InterruptedException {
    var response = send(path);
    if (response.statusCode() != 200) {
      throw new IOException(
          "GET "
              + path
              + " answered "
              + response.statusCode()
              + ": "
              + new String(response.body(), StandardCharsets.UTF_8));
    }
    return JSON.readTree(response.body());
  }

  /**
   * Times {@code GET path} up to the last byte of the body, which is what a client waits for.
   *
   * @return milliseconds
   * @throws IOException unless the answer is 200
   */
  double timedGet(String path) throws IOException, InterruptedException {
    long start = System.nanoTime();
    var response = send(path);
    double millis = (System.nanoTime() - start) / 1e6;
    if (response.statusCode() != 200) {
      throw new IOException("GET " + path + " answered " + response.statusCode());
    }
    return millis;
  }

  /** Every lot of {@code line}, newest first, following the page cursor. */
  List<Lot> lots(String line) throws IOException, InterruptedException {
    var lots = new ArrayList<Lot>();
    Optional<String> cursor = Optional.empty();
    do {
      JsonNode page =
          get(
              "/api/lots?line="
                  + encode(line)
                  + "&limit="
                  + PAGE
                  + cursor.map(c -> "&before=" + c).orElse(""));
      for (JsonNode item : page.path("items")) {
        lots.add(
            new Lot(
                item.path("lot").asText(),
                item.path("gtin").asText(),
                item.path("expiryDate").asText(),
                item.path("quantity").asInt(),
                item.path("batchId").asText()));
      }
      cursor = next(page);
    } while (cursor.isPresent());
    return lots;
  }

  /**
   * The serial numbers of a lot in issue order, at most {@code limit}, and the cursor after them.
   */
  SerialPage serials(String lot, int limit, Optional<String> after)
      throws IOException, InterruptedException {
    JsonNode page =
        get(
            "/api/lots/"
                + encode(lot)
                + "/serials?limit="
                + limit
                + after.map(c -> "&after=" + c).orElse(""));
    var serials = new ArrayList<String>();
    page.path("items").forEach(item -> serials.add(item.path("serial").asText()));
    return new SerialPage(serials, next(page));
  }

  record SerialPage(List<String> serials, Optional<String> next) {}

  /** Every serial number of a lot, in issue order. */
  List<String> allSerials(String lot) throws IOException, InterruptedException {
    var all = new ArrayList<String>();
    Optional<String> after = Optional.empty();
    do {
      SerialPage page = serials(lot, PAGE, after);
      all.addAll(page.serials());
      after = page.next();
    } while (after.isPresent());
    return all;
  }

  /** The connection check {@code name} (say {@code scanner:S1}) is UP in {@code /health}. */
  boolean up(String name) throws InterruptedException {
    try {
      var response = send("/health");
      for (JsonNode check : JSON.readTree(response.body()).path("checks")) {
        if (name.equals(check.path("name").asText())) {
          return "UP".equals(check.path("status").asText());
        }
      }
      return false;
    } catch (IOException e) {
      return false; // not listening yet
    }
  }

  /** The sum of a metric's samples in {@code /metrics} whose labels contain {@code label}. */
  double metric(String name, String label) throws IOException, InterruptedException {
    var response = send("/metrics");
    double sum = 0;
    for (String line : new String(response.body(), StandardCharsets.UTF_8).split("\n")) {
      if (line.startsWith(name + "{") && line.contains(label)) {
        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return sum;
  }

  static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  private HttpResponse<byte[]> send(String path) throws IOException, InterruptedException {
    var request = HttpRequest.newBuilder(URI.create(base + path)).timeout(TIMEOUT).GET();
    token.ifPresent(t -> request.header("Authorization", "Bearer " + t));
    return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private static Optional<String> next(JsonNode page) {
    return page.path("next").isTextual()
        ? Optional.of(page.get("next").asText())
        : Optional.empty();
  }
}
