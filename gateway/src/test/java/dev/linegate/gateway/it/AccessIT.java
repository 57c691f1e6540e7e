package dev.linegate.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.linegate.gateway.auth.Role;
import dev.linegate.gateway.store.Database;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Who may do what (SPEC section 11), against the gateway's jar on a real broker, as a browser and a
 * machine see it: sessions, tokens, roles, Origin, signatures, the audit trail, and no secret in
 * any answer or log line. Each test uses users of its own: the gateway is shared.
 */
class AccessIT {

  private static final Duration PATIENCE = Duration.ofSeconds(30);
  private static final Duration LIVE_IDLE_TIMEOUT = Duration.ofSeconds(4);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @TempDir static Path dir;
  private static MosquittoRig rig;
  private static GatewayProcess gateway;
  private static String base;
  private static Path data;

  /** The body of every answer the tests received, to look for secrets in. */
  private static final List<String> answers = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    rig = MosquittoRig.start(dir);
    Path config = rig.config();
    // The live feed checks its reader at each heartbeat, half of this: a short wait for the test.
    TestConfig.idleTimeout(config, rig.httpPort(), LIVE_IDLE_TIMEOUT);
    gateway = GatewayProcess.start(config, dir.resolve("gateway.log"));
    base = "http://127.0.0.1:" + rig.httpPort();
    data = dir.resolve("data");
    rig.api().awaitUp(PATIENCE);
  }

  @AfterAll
  static void stop() throws Exception {
    gateway.close();
    rig.close();
  }

  @Test
  void withoutALoginOrATokenTheApiAnswers401AndAByFieldNamesNobody() throws Exception {
    HttpResponse<String> read = send("GET", "/api/lots", null);
    assertThat(read.statusCode()).isEqualTo(401);
    assertThat(read.body()).contains("login required");
    HttpResponse<String> change =
        send(
            "POST",
            "/api/lots/L1/hold",
            "{\"reason\": \"x\", \"by\": \"qa-anna\"}",
            "Origin",
            base);
    assertThat(change.statusCode()).as("what an old client sends").isEqualTo(401);
    assertThat(send("GET", "/api/live", null).statusCode()).isEqualTo(401);
    assertThat(send("GET", "/api/labels/1/preview.png", null).statusCode()).isEqualTo(401);
    assertThat(
            send("GET", "/api/session", null, "Cookie", "linegate_session=lgs_forged").statusCode())
        .isEqualTo(401);
    assertThat(send("GET", "/api/lots", null, "Authorization", "Bearer lgt_forged").statusCode())
        .isEqualTo(401);

    // What a probe, a scraper and the login page need stays open.
    assertThat(send("GET", "/health", null).statusCode()).isEqualTo(200);
    assertThat(send("GET", "/metrics", null).statusCode()).isEqualTo(200);
    assertThat(send("GET", "/ui/index.html", null).statusCode()).isEqualTo(200);
  }

  @Test
  void eachRoleMayDoWhatSpecSection11GivesItAndIsRefusedTheRestWith403() throws Exception {
    String lot = newLot();
    String viewer = login("viewer-vic", Role.VIEWER);
    String operator = login("op-olga", Role.OPERATOR);
    String supervisor = login("sup-sam", Role.SUPERVISOR);
    String admin = login("admin-ada", Role.ADMIN);
    String integrator = TestUsers.token(data, "erp-bridge", Role.INTEGRATOR);

    String hold = "/api/lots/" + lot + "/hold";
    String reprint = "/api/serials/000000000000/reprint";
    String retry = "/api/outbox/999999/retry";
    String reason = "{\"reason\": \"deviation\"}";

    assertThat(asUser("GET", "/api/lots", null, viewer).statusCode()).isEqualTo(200);
    assertThat(asUser("POST", reprint, reason, viewer).statusCode()).isEqualTo(403);
    assertThat(asUser("POST", hold, reason, operator).statusCode()).isEqualTo(403);
    // Allowed, and so answered by the feature: there is no such serial / dead letter.
    assertThat(asUser("POST", reprint, reason, operator).statusCode()).isEqualTo(404);
    assertThat(asUser("POST", retry, "{}", supervisor).statusCode()).isEqualTo(404);
    assertThat(asUser("GET", "/api/users", null, supervisor).statusCode()).isEqualTo(403);
    assertThat(asUser("GET", "/api/users", null, admin).statusCode()).isEqualTo(200);
    HttpResponse<String> refused = asUser("POST", hold, reason, operator);
    assertThat(refused.body()).contains("op-olga (operator) may not hold");

    assertThat(asToken("GET", "/api/lots", null, integrator).statusCode()).isEqualTo(200);
    assertThat(asToken("POST", retry, "{}", integrator).statusCode()).isEqualTo(404);
    assertThat(asToken("POST", hold, reason, integrator).statusCode()).isEqualTo(403);
    assertThat(asToken("GET", "/api/tokens", null, integrator).statusCode()).isEqualTo(403);

    assertThat(asUser("POST", hold, reason, supervisor).statusCode()).isEqualTo(200);
    assertThat(rig.api().get("/api/lots/" + lot).at("/statusHistory/0/by").asText())
        .isEqualTo("sup-sam");
  }

  @Test
  void aChangeSentWithTheCookieFromAnotherPageOrWithoutOriginIs403() throws Exception {
    String lot = newLot();
    String supervisor = login("sup-otto", Role.SUPERVISOR);
    String hold = "/api/lots/" + lot + "/hold";
    String body = "{\"reason\": \"deviation\"}";

    HttpResponse<String> forged =
        send("POST", hold, body, "Cookie", supervisor, "Origin", "http://evil.example");
    assertThat(forged.statusCode()).isEqualTo(403);
    assertThat(forged.body()).contains("foreign origin");
    assertThat(send("POST", hold, body, "Cookie", supervisor).statusCode()).isEqualTo(403);
    assertThat(
            send(
                    "POST",
                    "/api/session",
                    "{\"user\": \"sup-otto\", \"password\": \"" + TestUsers.PASSWORD + "\"}",
                    "Origin",
                    "http://evil.example")
                .statusCode())
        .as("no login from another site's page either")
        .isEqualTo(403);
    assertThat(rig.api().get("/api/lots/" + lot).get("status").asText()).isEqualTo("released");
    // No CORS: the browser keeps another page from reading any answer.
    assertThat(forged.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();

    // A token is not sent by a browser on its own: no Origin needed.
    String token = TestUsers.token(data, "mes-holds", Role.SUPERVISOR);
    assertThat(send("POST", hold, body, "Authorization", "Bearer " + token).statusCode())
        .isEqualTo(200);
  }

  @Test
  void releaseAndRecallAreSignedWithThePasswordAndAMeaningAndTheAuditTrailSaysWhoAndWhy()
      throws Exception {
    String lot = newLot();
    String supervisor = login("qa-petra", Role.SUPERVISOR);
    assertThat(
            asUser("POST", "/api/lots/" + lot + "/hold", "{\"reason\": \"DEV-7\"}", supervisor)
                .statusCode())
        .isEqualTo(200);
    String release = "/api/lots/" + lot + "/release";

    HttpResponse<String> unsigned =
        asUser("POST", release, "{\"reason\": \"DEV-7 closed\"}", supervisor);
    assertThat(unsigned.statusCode()).isEqualTo(400);
    assertThat(unsigned.body()).contains("signature required");
    assertThat(
            asUser(
                    "POST",
                    release,
                    "{\"reason\": \"r\", \"signature\": {\"password\": \""
                        + TestUsers.PASSWORD
                        + "\", \"meaning\": \"ok\"}}",
                    supervisor)
                .statusCode())
        .isEqualTo(400);
    HttpResponse<String> wrong =
        asUser(
            "POST",
            release,
            "{\"reason\": \"r\", \"signature\": {\"password\": \"not-my-password\", \"meaning\": \"approved\"}}",
            supervisor);
    assertThat(wrong.statusCode()).isEqualTo(403);
    assertThat(wrong.body()).contains("signature refused");
    assertThat(rig.api().get("/api/lots/" + lot).get("status").asText()).isEqualTo("on-hold");

    HttpResponse<String> signed =
        asUser(
            "POST",
            release,
            "{\"reason\": \"DEV-7 closed\", \"by\": \"someone-else\", \"signature\": {\"password\": \""
                + TestUsers.PASSWORD
                + "\", \"meaning\": \"approved\"}}",
            supervisor);
    assertThat(signed.statusCode()).as(signed.body()).isEqualTo(200);
    assertThat(json(signed).get("by").asText()).isEqualTo("qa-petra");
    assertThat(json(signed).get("signed").asText()).isEqualTo("approved");

    JsonNode entry = auditOf("lot " + lot, "lot.release");
    assertThat(entry.get("user").asText()).isEqualTo("qa-petra");
    assertThat(entry.get("role").asText()).isEqualTo("supervisor");
    assertThat(entry.get("reason").asText()).isEqualTo("DEV-7 closed");
    assertThat(entry.get("meaning").asText()).isEqualTo("approved");
    assertThat(auditOf("lot " + lot, "lot.hold").get("meaning").isNull()).isTrue();
    JsonNode history = rig.api().get("/api/lots/" + lot).get("statusHistory");
    assertThat(history.get(1).get("signed").asText()).isEqualTo("approved");

    // Append-only, whoever has the file.
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + Database.fileIn(data))) {
      assertThatThrownBy(() -> c.createStatement().execute("UPDATE audit SET actor = 'x'"))
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("append-only");
      assertThatThrownBy(() -> c.createStatement().execute("DELETE FROM audit"))
          .hasMessageContaining("append-only");
    }
  }

  @Test
  void aRevokedTokenADisabledUserAndAnEndedSessionAreRefusedAt401() throws Exception {
    String admin = login("admin-max", Role.ADMIN);

    HttpResponse<String> created =
        asUser("POST", "/api/tokens", "{\"name\": \"scraper\", \"role\": \"viewer\"}", admin);
    assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
    String token = json(created).get("token").asText();
    long id = json(created).get("id").asLong();
    assertThat(asToken("GET", "/api/lots", null, token).statusCode()).isEqualTo(200);
    assertThat(asUser("GET", "/api/tokens", null, admin).body())
        .contains("scraper")
        .doesNotContain(token);
    assertThat(asUser("DELETE", "/api/tokens/" + id, null, admin).statusCode()).isEqualTo(200);
    assertThat(asToken("GET", "/api/lots", null, token).statusCode()).isEqualTo(401);

    HttpResponse<String> added =
        asUser(
            "POST",
            "/api/users",
            "{\"name\": \"op-nina\", \"role\": \"operator\", \"password\": \"nina-secret-42\"}",
            admin);
    assertThat(added.statusCode()).as(added.body()).isEqualTo(200);
    assertThat(
            asUser(
                    "POST",
                    "/api/users",
                    "{\"name\": \"op-weak\", \"role\": \"operator\", \"password\": \"short\"}",
                    admin)
                .statusCode())
        .isEqualTo(400);
    String nina = session("op-nina", "nina-secret-42");
    assertThat(asUser("GET", "/api/lots", null, nina).statusCode()).isEqualTo(200);
    assertThat(asUser("POST", "/api/users/op-nina/disable", "{}", admin).statusCode())
        .isEqualTo(200);
    assertThat(asUser("GET", "/api/lots", null, nina).statusCode())
        .as("her session ended with the user")
        .isEqualTo(401);
    assertThat(loginAnswer("op-nina", "nina-secret-42").statusCode()).isEqualTo(401);

    HttpResponse<String> logout = asUser("DELETE", "/api/session", null, admin);
    assertThat(logout.statusCode()).isEqualTo(200);
    assertThat(logout.headers().firstValue("Set-Cookie").orElseThrow()).contains("Max-Age=0");
    assertThat(asUser("GET", "/api/lots", null, admin).statusCode()).isEqualTo(401);

    assertThat(auditOf("user op-nina", "user.disable").get("user").asText()).isEqualTo("admin-max");
    assertThat(auditOf("token " + id + " (scraper)", "token.revoke").get("user").asText())
        .isEqualTo("admin-max");
  }

  @Test
  void theLiveFeedOfAUserWhoIsDisabledEndsWithinAHeartbeatAndSaysWhy() throws Exception {
    String admin = login("admin-lee", Role.ADMIN);
    String operator = login("op-otto", Role.OPERATOR);
    HttpResponse<Stream<String>> live =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(base + "/api/live"))
                .header("Cookie", operator)
                .build(),
            HttpResponse.BodyHandlers.ofLines());
    assertThat(live.statusCode()).isEqualTo(200);
    CompletableFuture<List<String>> lines =
        CompletableFuture.supplyAsync(() -> live.body().toList());
    // Still open after more than one heartbeat while she may read.
    assertThatThrownBy(() -> lines.get(LIVE_IDLE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS))
        .isInstanceOf(TimeoutException.class);

    assertThat(asUser("POST", "/api/users/op-otto/disable", "{}", admin).statusCode())
        .isEqualTo(200);

    List<String> heard = lines.get(LIVE_IDLE_TIMEOUT.toSeconds() * 2, TimeUnit.SECONDS);
    assertThat(heard).contains(": ping", "event: ended");
    assertThat(heard.get(heard.indexOf("event: ended") + 1)).startsWith("data: {\"reason\":");
  }

  @Test
  void theSessionCookieIsHttpOnlyAndSameSiteStrict() throws Exception {
    HttpResponse<String> login = loginAnswer(ensure("view-vera", Role.VIEWER), TestUsers.PASSWORD);
    String cookie = login.headers().firstValue("Set-Cookie").orElseThrow();
    assertThat(cookie)
        .startsWith("linegate_session=lgs_")
        .containsIgnoringCase("HttpOnly")
        .contains("SameSite=Strict")
        .contains("Path=/")
        .as("plain HTTP: a Secure cookie would not come back")
        .doesNotContain("Secure");
    assertThat(json(login).get("role").asText()).isEqualTo("viewer");
    assertThat(json(login).get("may").toString()).isEqualTo("[\"read\"]");
  }

  @Test
  void afterFiveWrongPasswordsTheUserWaitsWhileOthersAtTheSameAddressLogIn() throws Exception {
    String user = ensure("op-typo", Role.OPERATOR);
    for (int i = 0; i < 5; i++) {
      assertThat(loginAnswer(user, "wrong-password-" + i).statusCode()).isEqualTo(401);
    }
    HttpResponse<String> throttled = loginAnswer(user, TestUsers.PASSWORD);
    assertThat(throttled.statusCode()).as("even the right password waits").isEqualTo(429);
    assertThat(throttled.headers().firstValue("Retry-After")).isPresent();
    assertThat(throttled.body()).contains("try again in");
    assertThat(loginAnswer(ensure("op-other", Role.OPERATOR), TestUsers.PASSWORD).statusCode())
        .isEqualTo(200);
  }

  @Test
  void aUserSetsTheirOwnPasswordWithTheCurrentOneAndLogsInAgain() throws Exception {
    String session = login("op-self", Role.OPERATOR);
    String path = "/api/session/password";
    HttpResponse<String> wrong =
        asUser(
            "POST",
            path,
            "{\"current\": \"not-mine-at-all\", \"password\": \"new-secret-77\"}",
            session);
    assertThat(wrong.statusCode()).isEqualTo(403);
    assertThat(wrong.body()).contains("password refused");
    assertThat(
            asUser(
                    "POST",
                    path,
                    "{\"current\": \"" + TestUsers.PASSWORD + "\", \"password\": \"short\"}",
                    session)
                .statusCode())
        .isEqualTo(400);
    String token = TestUsers.token(data, "no-password", Role.VIEWER);
    assertThat(
            asToken("POST", path, "{\"current\": \"x\", \"password\": \"new-secret-77\"}", token)
                .statusCode())
        .isEqualTo(403);

    HttpResponse<String> changed =
        asUser(
            "POST",
            path,
            "{\"current\": \"" + TestUsers.PASSWORD + "\", \"password\": \"new-secret-77\"}",
            session);
    assertThat(changed.statusCode()).as(changed.body()).isEqualTo(200);
    assertThat(asUser("GET", "/api/lots", null, session).statusCode())
        .as("every session of the old password ends, this one too")
        .isEqualTo(401);
    assertThat(loginAnswer("op-self", TestUsers.PASSWORD).statusCode()).isEqualTo(401);
    assertThat(loginAnswer("op-self", "new-secret-77").statusCode()).isEqualTo(200);
    assertThat(auditOf("user op-self", "user.password").get("user").asText()).isEqualTo("op-self");
  }

  /** Reads the answers received so far, whatever test got them, and the whole log. */
  @Test
  void noPasswordTokenOrSessionIdIsInAnyAnswerOrLogLine() throws Exception {
    String admin = login("admin-zed", Role.ADMIN);
    String token = TestUsers.token(data, "secret-check", Role.INTEGRATOR);
    asToken("GET", "/api/lots", null, token);
    loginAnswer("admin-zed", "a-wrong-secret-99");
    asUser(
        "POST",
        "/api/users",
        "{\"name\": \"x y\", \"role\": \"operator\", \"password\": \"p4ss-in-body!\"}",
        admin);
    String health = send("GET", "/health", null).body();
    String metrics = send("GET", "/metrics", null).body();
    String audit = asUser("GET", "/api/audit?limit=1000", null, admin).body();

    String log = Files.readString(dir.resolve("gateway.log"));
    List<String> secrets =
        List.of(
            TestUsers.PASSWORD,
            "a-wrong-secret-99",
            "p4ss-in-body!",
            token,
            admin.substring(admin.indexOf('=') + 1));
    List<String> everything = new ArrayList<>(answers);
    everything.addAll(List.of(health, metrics, audit, log));
    for (String secret : secrets) {
      assertThat(everything).noneMatch(text -> text.contains(secret));
    }
    try (Stream<String> lines = Files.lines(dir.resolve("gateway.log"))) {
      assertThat(lines.filter(l -> l.contains("Failed login")))
          .isNotEmpty()
          .as("a name is logged only when it is a user's, never what was typed")
          .allMatch(l -> l.matches(".* for (user [a-z-]+|a name that is no enabled user's)$"));
    }
  }

  // ---- helpers -------------------------------------------------------------------------------

  private static String newLot() throws Exception {
    String batch = rig.plc().nextBatchId("L1");
    rig.plc().publish("L1", batch, TestConfig.WIDGET, 3).get(10, TimeUnit.SECONDS);
    await().atMost(PATIENCE).until(() -> rig.api().lotOfBatch("L1", batch).isPresent());
    return rig.api().lotOfBatch("L1", batch).orElseThrow().get("lot").asText();
  }

  private static String ensure(String name, Role role) {
    TestUsers.ensure(data, name, role);
    return name;
  }

  /** The cookie ("linegate_session=...") of a new session of a new user. */
  private static String login(String name, Role role) throws Exception {
    return session(ensure(name, role), TestUsers.PASSWORD);
  }

  private static String session(String name, String password) throws Exception {
    HttpResponse<String> login = loginAnswer(name, password);
    assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
    return login.headers().firstValue("Set-Cookie").orElseThrow().split(";", 2)[0];
  }

  private static HttpResponse<String> loginAnswer(String name, String password) throws Exception {
    return send(
        "POST",
        "/api/session",
        "{\"user\": \"" + name + "\", \"password\": \"" + password + "\"}",
        "Origin",
        base);
  }

  private static HttpResponse<String> asUser(String method, String path, String body, String cookie)
      throws Exception {
    return send(method, path, body, "Cookie", cookie, "Origin", base);
  }

  private static HttpResponse<String> asToken(String method, String path, String body, String token)
      throws Exception {
    return send(method, path, body, "Authorization", "Bearer " + token);
  }

  private static HttpResponse<String> send(
      String method, String path, String body, String... headers)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(Duration.ofSeconds(10))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    HttpResponse<String> answer = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    synchronized (answers) {
      answers.add(answer.body());
    }
    return answer;
  }

  private static JsonNode json(HttpResponse<String> answer) throws IOException {
    return JSON.readTree(answer.body());
  }

  /** The newest audit entry of this action on this object. */
  private static JsonNode auditOf(String object, String action) {
    for (JsonNode entry : rig.api().get("/api/audit?limit=1000").get("items")) {
      if (entry.get("object").asText().equals(object)
          && entry.get("action").asText().equals(action)) {
        return entry;
      }
    }
    throw new AssertionError("no " + action + " of " + object + " in the audit trail");
  }
}
