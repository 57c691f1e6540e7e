package dev.linegate.simulator.erp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SimulatedErpTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http = HttpClient.newHttpClient();
  private SimulatedErp erp;

  @BeforeEach
  void start() {
    erp = SimulatedErp.start(0);
  }

  @AfterEach
  void stop() {
    erp.close();
  }

  /** The gateway retries until it hears 2xx: a redelivery must not count as a second event. */
  @Test
  void aRepeatedIdempotencyKeyIsAnsweredOkButRecordedOnce() throws Exception {
    assertThat(post("key-1", event("e-1", "B-1")).statusCode()).isEqualTo(200);
    assertThat(post("key-1", event("e-1", "B-1")).statusCode()).isEqualTo(200);
    assertThat(post("key-2", event("e-2", "B-2")).statusCode()).isEqualTo(200);

    assertThat(erp.events()).extracting(ErpEvent::key).containsExactly("key-1", "key-2");
    assertThat(erp.duplicates()).isEqualTo(1);
    assertThat(erp.received()).isEqualTo(3);
    var first = erp.events().get(0);
    assertThat(first.type()).isEqualTo("dev.linegate.lot.completed");
    assertThat(first.data().get("batchId").asText()).isEqualTo("B-1");
    assertThat(first.receivedNanos()).isLessThanOrEqualTo(erp.events().get(1).receivedNanos());
  }

  /** An ERP that is down refuses connections; when it returns it must be on the same address. */
  @Test
  void refusesConnectionsAndThenAcceptsThemAgainOnTheSamePort() throws Exception {
    int port = erp.port();
    assertThat(post("key-1", event("e-1", "B-1")).statusCode()).isEqualTo(200);

    erp.refuseConnections();
    assertThatThrownBy(() -> new Socket().connect(new InetSocketAddress("127.0.0.1", port), 1_000))
        .isInstanceOf(ConnectException.class);

    erp.acceptConnections();
    assertThat(erp.port()).isEqualTo(port);
    assertThat(postOnNewConnection("key-2", event("e-2", "B-2")).statusCode()).isEqualTo(200);
    assertThat(erp.events()).extracting(ErpEvent::key).containsExactly("key-1", "key-2");
  }

  /** A 4xx for one event must dead-letter that event only, so only it may be refused. */
  @Test
  void answers400ToTheSelectedEventOnly() throws Exception {
    erp.respondWith(400, event -> event.data().path("batchId").asText().equals("B-bad"));

    assertThat(post("key-bad", event("e-bad", "B-bad")).statusCode()).isEqualTo(400);
    assertThat(post("key-good", event("e-good", "B-good")).statusCode()).isEqualTo(200);

    assertThat(erp.events()).extracting(ErpEvent::key).containsExactly("key-good");
    assertThat(erp.stats()).isEqualTo(new ErpStats(2, 1, 0, 1));
  }

  @Test
  void answers503ToEveryEventUntilToldToBehave() throws Exception {
    erp.respondWith(503);
    assertThat(post("key-1", event("e-1", "B-1")).statusCode()).isEqualTo(503);
    assertThat(post("key-2", event("e-2", "B-2")).statusCode()).isEqualTo(503);
    assertThat(erp.events()).isEmpty();

    erp.behaveNormally();
    assertThat(post("key-1", event("e-1", "B-1")).statusCode()).isEqualTo(200);
    assertThat(erp.events()).extracting(ErpEvent::key).containsExactly("key-1");
  }

  /** Like a real ERP, a slow one has stored the event before a client gives up waiting. */
  @Test
  void aSlowAnswerTimesTheClientOutButTheEventIsStored() throws Exception {
    erp.respondSlowly(Duration.ofMillis(1_500));
    var request = request("key-1", event("e-1", "B-1")).timeout(Duration.ofMillis(200)).build();

    assertThatThrownBy(() -> http.send(request, HttpResponse.BodyHandlers.ofString()))
        .isInstanceOf(HttpTimeoutException.class);
    assertThat(erp.events()).extracting(ErpEvent::key).containsExactly("key-1");
  }

  /** The simulator checks the contract of SPEC section 5, so a gateway that breaks it finds out. */
  @Test
  void rejectsRequestsThatBreakTheEventContract() throws Exception {
    var noKey =
        HttpRequest.newBuilder(URI.create(erp.url()))
            .header("Content-Type", "application/cloudevents+json")
            .POST(HttpRequest.BodyPublishers.ofString(event("e-1", "B-1")))
            .build();
    assertThat(http.send(noKey, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(400);

    var plainJson =
        HttpRequest.newBuilder(URI.create(erp.url()))
            .header("Content-Type", "application/json")
            .header("Idempotency-Key", "key-1")
            .POST(HttpRequest.BodyPublishers.ofString(event("e-1", "B-1")))
            .build();
    assertThat(http.send(plainJson, HttpResponse.BodyHandlers.ofString()).statusCode())
        .isEqualTo(415);

    assertThat(post("key-2", "{\"specversion\": \"1.0\", \"id\": \"e-2\"}").statusCode())
        .isEqualTo(400);
    assertThat(post("key-3", "not json").statusCode()).isEqualTo(400);
    assertThat(erp.events()).isEmpty();
    assertThat(erp.stats().rejected()).isEqualTo(4);
  }

  @Test
  void listsEventsByTypeAndCountsThemOverHttp() throws Exception {
    post("key-1", event("e-1", "B-1"));
    post("key-1", event("e-1", "B-1"));
    post("key-2", event("e-2", "B-2").replace("lot.completed", "label.printed"));

    var all = JSON.readTree(get("/api/events"));
    var completed = JSON.readTree(get("/api/events?type=dev.linegate.lot.completed"));
    var stats = JSON.readTree(get("/api/events/stats"));

    assertThat(all).hasSize(2);
    assertThat(completed).hasSize(1);
    assertThat(completed.get(0).get("key").asText()).isEqualTo("key-1");
    assertThat(completed.get(0).at("/event/data/batchId").asText()).isEqualTo("B-1");
    assertThat(stats.get("received").asLong()).isEqualTo(3);
    assertThat(stats.get("unique").asLong()).isEqualTo(2);
    assertThat(stats.get("duplicates").asLong()).isEqualTo(1);
  }

  /** The CLI's ERP is steered from another process, through a port that stays open. */
  @Test
  void controlPortSwitchesTheBehaviour() throws Exception {
    int control = erp.serveControl(0);

    assertThat(postControl(control, "{\"mode\": \"status\", \"status\": 503}")).isEqualTo(200);
    assertThat(post("key-1", event("e-1", "B-1")).statusCode()).isEqualTo(503);

    assertThat(postControl(control, "{\"mode\": \"refuse\"}")).isEqualTo(200);
    assertThatThrownBy(
            () -> new Socket().connect(new InetSocketAddress("127.0.0.1", erp.port()), 1_000))
        .isInstanceOf(ConnectException.class);

    assertThat(postControl(control, "{\"mode\": \"normal\"}")).isEqualTo(200);
    assertThat(postOnNewConnection("key-1", event("e-1", "B-1")).statusCode()).isEqualTo(200);
    assertThat(postControl(control, "{\"mode\": \"sideways\"}")).isEqualTo(400);
  }

  private HttpResponse<String> post(String key, String body)
      throws IOException, InterruptedException {
    return http.send(request(key, body).build(), HttpResponse.BodyHandlers.ofString());
  }

  /**
   * After the ERP dropped its connections, as a reconnecting gateway does: the shared client may
   * still pool the dropped connection, and its GOAWAY can arrive after the next request went out.
   */
  private HttpResponse<String> postOnNewConnection(String key, String body)
      throws IOException, InterruptedException {
    return HttpClient.newHttpClient()
        .send(request(key, body).build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpRequest.Builder request(String key, String body) {
    return HttpRequest.newBuilder(URI.create(erp.url()))
        .header("Content-Type", "application/cloudevents+json")
        .header("Idempotency-Key", key)
        .POST(HttpRequest.BodyPublishers.ofString(body));
  }

  private String get(String path) throws IOException, InterruptedException {
    var request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + erp.port() + path)).build();
    return http.send(request, HttpResponse.BodyHandlers.ofString()).body();
  }

  private int postControl(int port, String body) throws IOException, InterruptedException {
    var request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/control/mode"))
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    return http.send(request, HttpResponse.BodyHandlers.ofString()).statusCode();
  }

  private static String event(String id, String batchId) {
    return """
           {"specversion": "1.0", "id": "%s", "source": "linegate/edge-01/L1",
            "type": "dev.linegate.lot.completed", "time": "2026-11-23T10:15:00.123Z",
            "datacontenttype": "application/json",
            "data": {"lot": "L126327001", "batchId": "%s", "line": "L1", "product": "WIDGET-100",
                     "quantity": 2, "serials": ["S1", "S2"]}}
           """
        .formatted(id, batchId);
  }
}
