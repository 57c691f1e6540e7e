package dev.linegate.simulator.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.linegate.simulator.mqtt.TestSubscriber;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.eclipse.paho.client.mqttv3.MqttException;

/**
 * Just enough of a gateway for a load run: takes batches over MQTT, "commits" a lot for each, lists
 * lots as {@code GET /api/lots} does (pages capped at 50, so the cursor is followed), and posts
 * lot.completed to the ERP, retrying while it is unreachable.
 */
final class FakeGateway implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_PAGE = 50;

  private record Lot(int seq, String lot, String line, String batchId, Instant committedAt) {}

  private final List<Lot> lots = new ArrayList<>();
  private final HttpServer http;
  private final HttpClient client = HttpClient.newHttpClient();
  private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor();
  private final URI erp;
  private final Predicate<String> loses;
  private final TestSubscriber subscriber;

  /** Batches whose id {@code loses} accepts vanish, as a faulty gateway's would. */
  FakeGateway(String brokerUrl, URI erp, Predicate<String> loses) throws Exception {
    this.erp = erp;
    this.loses = loses;
    http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    http.createContext("/api/lots", this::listLots);
    http.start();
    subscriber =
        TestSubscriber.subscribe(
            brokerUrl, "fake-gateway", "plant/+/batch-complete", this::onBatch);
  }

  URI url() {
    return URI.create("http://127.0.0.1:" + http.getAddress().getPort());
  }

  private void onBatch(String topic, String payload) {
    try {
      JsonNode batch = JSON.readTree(payload);
      String batchId = batch.get("batchId").asText();
      if (loses.test(batchId)) {
        return;
      }
      Lot lot;
      synchronized (lots) {
        int seq = lots.size() + 1;
        lot =
            new Lot(
                seq,
                "LOT" + seq,
                topic.split("/")[1],
                batchId,
                Instant.now().truncatedTo(ChronoUnit.MICROS));
        lots.add(lot);
      }
      deliver(lot);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private void deliver(Lot lot) {
    String event =
        JSON.createObjectNode()
            .put("specversion", "1.0")
            .put("id", "evt-" + lot.seq())
            .put("source", "linegate/fake/" + lot.line())
            .put("type", "dev.linegate.lot.completed")
            .set(
                "data",
                JSON.createObjectNode()
                    .put("lot", lot.lot())
                    .put("batchId", lot.batchId())
                    .put("line", lot.line()))
            .toString();
    var request =
        HttpRequest.newBuilder(erp)
            .header("Content-Type", "application/cloudevents+json")
            .header("Idempotency-Key", "evt-" + lot.seq())
            .POST(HttpRequest.BodyPublishers.ofString(event))
            .build();
    client
        .sendAsync(request, HttpResponse.BodyHandlers.discarding())
        .whenComplete(
            (response, error) -> {
              if (error != null || response.statusCode() != 200) {
                retries.schedule(() -> deliver(lot), 50, TimeUnit.MILLISECONDS);
              }
            });
  }

  private void listLots(HttpExchange exchange) throws IOException {
    Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
    int limit = Math.min(MAX_PAGE, Integer.parseInt(query.getOrDefault("limit", "100")));
    int before = Integer.parseInt(query.getOrDefault("before", String.valueOf(Integer.MAX_VALUE)));
    var page = JSON.createObjectNode();
    var items = page.putArray("items");
    synchronized (lots) {
      var newestFirst = new ArrayList<Lot>();
      for (int i = lots.size() - 1; i >= 0; i--) {
        var lot = lots.get(i);
        if (lot.line().equals(query.get("line")) && lot.seq() < before) {
          newestFirst.add(lot);
        }
      }
      newestFirst.stream()
          .limit(limit)
          .forEach(
              l ->
                  items
                      .addObject()
                      .put("lot", l.lot())
                      .put("line", l.line())
                      .put("batchId", l.batchId())
                      .put("status", "released")
                      .put("committedAt", l.committedAt().toString()));
      if (newestFirst.size() > limit) {
        page.put("next", String.valueOf(newestFirst.get(limit - 1).seq()));
      } else {
        page.putNull("next");
      }
    }
    byte[] body = page.toString().getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(200, body.length);
    try (var out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  private static Map<String, String> query(String raw) {
    var params = new HashMap<String, String>();
    if (raw != null) {
      for (String pair : raw.split("&")) {
        String[] kv = pair.split("=", 2);
        params.put(kv[0], URLDecoder.decode(kv.length > 1 ? kv[1] : "", StandardCharsets.UTF_8));
      }
    }
    return params;
  }

  @Override
  public void close() throws MqttException {
    subscriber.close();
    http.stop(0);
    retries.shutdownNow();
  }
}
