package dev.linegate.gateway.pools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.linegate.gateway.config.GatewayConfig.SerialProviderConfig;
import dev.linegate.gateway.config.ProductConfig.SerialSpec;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The provider protocol of SPEC section 8 over HTTP JSON: a request's first page, its next pages,
 * and returns. Every failure (unreachable, slow, a status other than 200, an answer that is not the
 * protocol's) is a {@link Failure} that says what happened, never the request's headers.
 */
final class SerialProvider {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private static final int MAX_SHOWN = 200;

  /** One page of a request's answer. */
  record Page(List<String> serials, boolean filled, Optional<String> next) {}

  static final class Failure extends Exception {
    Failure(String message) {
      super(message);
    }
  }

  private final SerialProviderConfig config;
  private final String gateway;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  SerialProvider(SerialProviderConfig config, String gateway) {
    this.config = config;
    this.gateway = gateway;
  }

  String id() {
    return config.id();
  }

  Page first(String requestId, String gtin, int count, SerialSpec format) throws Failure {
    ObjectNode body = JSON.createObjectNode();
    body.put("requestId", requestId);
    body.put("gateway", gateway);
    body.put("gtin", gtin);
    body.put("count", count);
    body.putObject("format")
        .put("length", format.length())
        .put("alphabet", format.alphabet().name().toLowerCase(Locale.ROOT));
    return page(post("/requests", body), requestId);
  }

  Page next(String requestId, String token) throws Failure {
    return page(
        post("/requests/" + requestId + "/next", JSON.createObjectNode().put("token", token)),
        requestId);
  }

  /** Gives serials back; how many the provider took back. */
  int giveBack(String returnId, String gtin, List<String> serials) throws Failure {
    ObjectNode body = JSON.createObjectNode();
    body.put("returnId", returnId);
    body.put("gateway", gateway);
    body.put("gtin", gtin);
    serials.forEach(body.putArray("serials")::add);
    JsonNode answer = post("/returns", body);
    if (!answer.path("returned").isInt() || !returnId.equals(answer.path("returnId").asText())) {
      throw new Failure(
          "provider "
              + config.id()
              + " answered a return outside the protocol: "
              + shown(answer.toString()));
    }
    return answer.get("returned").asInt();
  }

  private JsonNode post(String path, JsonNode body) throws Failure {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(config.url() + path))
            .timeout(TIMEOUT)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
    config.headers().forEach((name, value) -> request.header(name, value.value()));
    HttpResponse<String> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new Failure("provider " + config.id() + " unreachable: " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Failure("interrupted");
    }
    if (response.statusCode() != 200) {
      throw new Failure(
          "provider "
              + config.id()
              + " answered HTTP "
              + response.statusCode()
              + ": "
              + shown(response.body()));
    }
    try {
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new Failure(
          "provider " + config.id() + " answered what is not JSON: " + shown(response.body()));
    }
  }

  private Page page(JsonNode answer, String requestId) throws Failure {
    JsonNode serials = answer.path("serials");
    String status = answer.path("status").asText("");
    JsonNode next = answer.path("next");
    if (!serials.isArray()
        || !(status.equals("ok") || status.equals("insufficient"))
        || !(next.isNull() || next.isMissingNode() || next.isTextual())
        || !requestId.equals(answer.path("requestId").asText())) {
      throw new Failure(
          "provider "
              + config.id()
              + " answered outside the protocol (serials, status ok|insufficient, next, the"
              + " requestId): "
              + shown(answer.toString()));
    }
    List<String> texts = new ArrayList<>(serials.size());
    for (JsonNode serial : serials) {
      texts.add(serial.asText());
    }
    return new Page(
        texts,
        status.equals("ok"),
        next.isTextual() ? Optional.of(next.asText()) : Optional.empty());
  }

  private static String shown(String text) {
    return text.length() > MAX_SHOWN ? text.substring(0, MAX_SHOWN) + "..." : text;
  }
}
