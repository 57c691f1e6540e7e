package dev.linegate.gateway.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The gateway's HTTP API as a user's script sees it. */
final class GatewayApi {

  record Answer(int status, JsonNode body) {}

  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final String base;

  GatewayApi(int port) {
    this.base = "http://127.0.0.1:" + port;
  }

  JsonNode get(String path) {
    Answer answer = call("GET", path);
    if (answer.status() != 200) {
      throw new AssertionError(
          "GET " + path + " answered " + answer.status() + ": " + answer.body());
    }
    return answer.body();
  }

  Answer call(String method, String path) {
    return call(method, path, "");
  }

  Answer post(String path, String json) {
    return call("POST", path, json);
  }

  /** A POST as a form on another web page could send it. */
  int postText(String path, String body) {
    try {
      return http.send(
              HttpRequest.newBuilder(URI.create(base + path))
                  .header("Content-Type", "text/plain")
                  .POST(HttpRequest.BodyPublishers.ofString(body))
                  .build(),
              HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (IOException e) {
      throw new AssertionError("POST " + path + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  byte[] bytes(String path) {
    try {
      HttpResponse<byte[]> response =
          http.send(
              HttpRequest.newBuilder(URI.create(base + path))
                  .timeout(Duration.ofSeconds(10))
                  .build(),
              HttpResponse.BodyHandlers.ofByteArray());
      if (response.statusCode() != 200) {
        throw new AssertionError(
            "GET "
                + path
                + " answered "
                + response.statusCode()
                + ": "
                + new String(response.body(), java.nio.charset.StandardCharsets.UTF_8));
      }
      return response.body();
    } catch (IOException e) {
      throw new AssertionError("GET " + path + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private Answer call(String method, String path, String json) {
    try {
      HttpRequest.BodyPublisher request =
          json.isEmpty()
              ? HttpRequest.BodyPublishers.noBody()
              : HttpRequest.BodyPublishers.ofString(json);
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(URI.create(base + path))
                  .timeout(Duration.ofSeconds(10))
                  .header("Content-Type", "application/json")
                  .method(method, request)
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      String body = response.body();
      return new Answer(
          response.statusCode(),
          body.isEmpty() || !body.trim().startsWith("{") && !body.trim().startsWith("[")
              ? JSON.getNodeFactory().textNode(body)
              : JSON.readTree(body));
    } catch (IOException e) {
      throw new AssertionError(method + " " + path + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** {@code GET /metrics}: the Prometheus text. */
  String metrics() {
    Answer answer = call("GET", "/metrics");
    if (answer.status() != 200) {
      throw new AssertionError("GET /metrics answered " + answer.status());
    }
    return answer.body().asText();
  }

  /** One check of {@code GET /health}, e.g. {@code mqtt:L1}, whatever the status of the whole. */
  JsonNode check(String name) {
    for (JsonNode check : call("GET", "/health").body().path("checks")) {
      if (check.path("name").asText().equals(name)) {
        return check;
      }
    }
    throw new AssertionError("/health has no check " + name);
  }

  /** Waits until the gateway answers and every check of {@code /health} is UP. */
  void awaitUp(Duration atMost) {
    org.awaitility.Awaitility.await()
        .atMost(atMost)
        .until(() -> reachable() && call("GET", "/health").status() == 200);
  }

  /** Whether the gateway answers at all (for waiting on start and stop). */
  boolean reachable() {
    try {
      http.send(
          HttpRequest.newBuilder(URI.create(base + "/health"))
              .timeout(Duration.ofSeconds(1))
              .build(),
          HttpResponse.BodyHandlers.discarding());
      return true;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * The lot of a batch, if it has one: the lot list filtered by line, searched for the batch id.
   */
  java.util.Optional<JsonNode> lotOfBatch(String line, String batchId) {
    String cursor = null;
    do {
      JsonNode page =
          get(
              "/api/lots?line="
                  + line
                  + "&limit=1000"
                  + (cursor == null ? "" : "&before=" + cursor));
      for (JsonNode lot : page.get("items")) {
        if (lot.get("batchId").asText().equals(batchId)) {
          return java.util.Optional.of(lot);
        }
      }
      cursor = page.get("next").isNull() ? null : page.get("next").asText();
    } while (cursor != null);
    return java.util.Optional.empty();
  }

  int count(String listPath) {
    int total = 0;
    String cursor = null;
    String cursorName = listPath.startsWith("/api/outbox") ? "after" : "before";
    do {
      JsonNode page =
          get(
              listPath
                  + (listPath.contains("?") ? "&" : "?")
                  + "limit=1000"
                  + (cursor == null ? "" : "&" + cursorName + "=" + cursor));
      total += page.get("items").size();
      cursor = page.get("next").isNull() ? null : page.get("next").asText();
    } while (cursor != null);
    return total;
  }
}
