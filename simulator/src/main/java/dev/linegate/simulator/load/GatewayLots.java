package dev.linegate.simulator.load;

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
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reads a line's lots from the gateway's HTTP API, newest first, following the page cursor. */
final class GatewayLots {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int PAGE_SIZE = 1000;
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String baseUrl;
  private final Optional<String> token;

  GatewayLots(URI gateway, Optional<String> token) {
    baseUrl = gateway.toString().replaceAll("/+$", "");
    this.token = token;
  }

  /** The lots of {@code line} committed at or after {@code since}. */
  List<GatewayLot> committedSince(String line, Instant since)
      throws IOException, InterruptedException {
    var lots = new ArrayList<GatewayLot>();
    String cursor = null;
    do {
      JsonNode page = fetch(line, cursor);
      for (JsonNode item : page.path("items")) {
        var lot = lot(item);
        if (lot.committedAt().isBefore(since)) {
          return lots; // newest first: the rest is older still
        }
        lots.add(lot);
      }
      cursor = page.path("next").isTextual() ? page.get("next").asText() : null;
    } while (cursor != null);
    return lots;
  }

  private JsonNode fetch(String line, String cursor) throws IOException, InterruptedException {
    String url =
        baseUrl
            + "/api/lots?line="
            + encode(line)
            + "&limit="
            + PAGE_SIZE
            + (cursor == null ? "" : "&before=" + encode(cursor));
    var request = HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT).GET();
    token.ifPresent(t -> request.header("Authorization", "Bearer " + t));
    var response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    if (response.statusCode() != 200) {
      throw new IOException(
          "GET "
              + url
              + " answered "
              + response.statusCode()
              + ": "
              + new String(response.body(), StandardCharsets.UTF_8));
    }
    return JSON.readTree(response.body());
  }

  private static GatewayLot lot(JsonNode item) throws IOException {
    try {
      return new GatewayLot(
          item.path("lot").asText(),
          item.path("line").asText(),
          item.path("batchId").asText(),
          Instant.parse(item.path("committedAt").asText()));
    } catch (DateTimeParseException e) {
      throw new IOException("lot " + item.path("lot") + " has no valid committedAt: " + item, e);
    }
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
