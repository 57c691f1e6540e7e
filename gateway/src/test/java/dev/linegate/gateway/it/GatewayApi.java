package dev.linegate.gateway.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.linegate.gateway.auth.Role;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * The gateway's HTTP API as a user's script sees it, logged in as {@link TestUsers#ADMIN} (created
 * in the gateway's data directory at the first call of the API, when the gateway's database exists)
 * with the session cookie and the Origin a browser page of the gateway sends.
 */
final class GatewayApi {

  record Answer(int status, JsonNode body) {}

  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final String base;

  /** Asked at login, not at construction: a rig makes its API before the config is written. */
  private final Supplier<Path> dataDir;

  private final String user;
  private final Role role;
  private volatile String cookie;

  GatewayApi(int port, Path dataDir) {
    this("http://127.0.0.1:" + port, () -> dataDir, TestUsers.ADMIN, Role.ADMIN);
  }

  /** The API of the gateway whose configuration {@link TestConfig} wrote for this HTTP port. */
  GatewayApi(int port) {
    this("http://127.0.0.1:" + port, () -> TestConfig.dataDirOf(port), TestUsers.ADMIN, Role.ADMIN);
  }

  private GatewayApi(String base, Supplier<Path> dataDir, String user, Role role) {
    this.base = base;
    this.dataDir = dataDir;
    this.user = user;
    this.role = role;
  }

  /** The same API used by another user (created with {@link TestUsers#PASSWORD} if new). */
  GatewayApi as(String user, Role role) {
    return new GatewayApi(base, dataDir, user, role);
  }

  /** The session cookie, logging in first if there is none yet. */
  String session() {
    if (cookie == null) {
      TestUsers.ensure(dataDir.get(), user, role);
      HttpResponse<String> login =
          send(
              "POST",
              "/api/session",
              "{\"user\": \"" + user + "\", \"password\": \"" + TestUsers.PASSWORD + "\"}",
              false);
      if (login.statusCode() != 200) {
        throw new AssertionError("login answered " + login.statusCode() + ": " + login.body());
      }
      cookie =
          login
              .headers()
              .firstValue("Set-Cookie")
              .orElseThrow(() -> new AssertionError("no session cookie: " + login.headers()))
              .split(";", 2)[0];
    }
    return cookie;
  }

  /** What {@code POST /api/session} answers for this user and password: its status. */
  int logIn(String user, String password) {
    return send(
            "POST",
            "/api/session",
            "{\"user\": \"" + user + "\", \"password\": \"" + password + "\"}",
            false)
        .statusCode();
  }

  /** The origin of the gateway's own pages. */
  String origin() {
    return base;
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
                  .header("Cookie", session())
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
    HttpResponse<String> response = send(method, path, json, path.startsWith("/api/"));
    String body = response.body();
    try {
      return new Answer(
          response.statusCode(),
          body.isEmpty() || !body.trim().startsWith("{") && !body.trim().startsWith("[")
              ? JSON.getNodeFactory().textNode(body)
              : JSON.readTree(body));
    } catch (IOException e) {
      throw new AssertionError(method + " " + path + " answered no JSON: " + body, e);
    }
  }

  private HttpResponse<String> send(String method, String path, String json, boolean loggedIn) {
    try {
      HttpRequest.BodyPublisher request =
          json.isEmpty()
              ? HttpRequest.BodyPublishers.noBody()
              : HttpRequest.BodyPublishers.ofString(json);
      HttpRequest.Builder builder =
          HttpRequest.newBuilder(URI.create(base + path))
              .timeout(Duration.ofSeconds(10))
              .header("Content-Type", "application/json")
              .header("Origin", base)
              .method(method, request);
      if (loggedIn) {
        builder.header("Cookie", session());
      }
      return http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
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
