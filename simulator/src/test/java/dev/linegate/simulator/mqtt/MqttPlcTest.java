package dev.linegate.simulator.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class MqttPlcTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The gateway's MQTT session is persistent: batches published while it is away must reach it. */
  @Test
  void persistentSubscriberGetsBatchesLiveAndThoseQueuedWhileItWasAway() throws Exception {
    try (var broker = EmbeddedBroker.start("127.0.0.1", 0);
        var gateway =
            TestSubscriber.subscribe(broker.url(), "gateway-L1", "plant/L1/batch-complete");
        var plc = MqttPlc.connect(broker.url(), MqttPlc.DEFAULT_TOPIC)) {
      plc.publish("L1", "B-1", "WIDGET-100", 24).get(5, TimeUnit.SECONDS);
      plc.publish("L2", "B-other-line", "WIDGET-100", 1).get(5, TimeUnit.SECONDS);
      await().until(() -> gateway.payloads().size() == 1);

      gateway.disconnect();
      // Away only once the broker says so: published before, B-2 went to the closing connection.
      await().until(() -> !broker.connected("gateway-L1"));
      for (String batchId : List.of("B-2", "B-3", "B-4")) {
        plc.publish("L1", batchId, "WIDGET-100", 24).get(5, TimeUnit.SECONDS);
      }
      gateway.reconnect();

      await()
          .untilAsserted(
              () ->
                  assertThat(gateway.payloads())
                      .extracting(p -> json(p).get("batchId").asText())
                      .containsExactly("B-1", "B-2", "B-3", "B-4"));
      JsonNode first = json(gateway.payloads().get(0));
      assertThat(first.get("product").asText()).isEqualTo("WIDGET-100");
      assertThat(first.get("quantity").isInt()).isTrue();
      assertThat(first.get("quantity").asInt()).isEqualTo(24);
      assertThat(Instant.parse(first.get("completedAt").asText())).isBeforeOrEqualTo(Instant.now());
    }
  }

  /** A gateway down for a while returns to a backlog: the broker must keep all of it. */
  @Test
  void brokerQueuesThousandsOfBatchesForAnAbsentPersistentSubscriber() throws Exception {
    // Five times Moquette's default session queue (1,024), which would drop publishes silently.
    int batches = 5_000;
    try (var broker = EmbeddedBroker.start("127.0.0.1", 0);
        var gateway =
            TestSubscriber.subscribe(broker.url(), "gateway-away", "plant/+/batch-complete");
        var plc = MqttPlc.connect(broker.url(), MqttPlc.DEFAULT_TOPIC)) {
      gateway.disconnect();
      await().until(() -> !broker.connected("gateway-away"));
      var acks = new ArrayList<CompletableFuture<BatchMessage>>(batches);
      for (int i = 0; i < batches; i++) {
        String line = i % 2 == 0 ? "L1" : "L2";
        acks.add(plc.publish(line, plc.nextBatchId(line), "WIDGET-100", 10));
      }
      // Seen once (2026-12-04): some PUBACKs did not come within 60 s. Say how many did, and how
      // many failed, so that the next failure shows where the publishes stopped.
      boolean acked = plc.awaitAcks(Duration.ofSeconds(60));
      assertThat(acked)
          .as(
              () ->
                  acks.stream().filter(CompletableFuture::isDone).count()
                      + " of "
                      + batches
                      + " publishes answered in 60 s, "
                      + acks.stream().filter(CompletableFuture::isCompletedExceptionally).count()
                      + " of them failed")
          .isTrue();
      assertThat(acks).allMatch(ack -> ack.isDone() && !ack.isCompletedExceptionally());

      gateway.reconnect();

      // QoS 1 is at least once: a redelivered message counts once, so wait for distinct batches,
      // not for as many messages (a duplicate could make up the count of one still missing).
      await().atMost(Duration.ofSeconds(60)).until(() -> batchIds(gateway).size() == batches);
      assertThat(batchIds(gateway)).allMatch(id -> id.matches("L[12]-" + plc.runId() + "-\\d{6}"));
    }
  }

  @Test
  void batchIdsAreUniquePerRunAndLine() throws Exception {
    try (var broker = EmbeddedBroker.start("127.0.0.1", 0);
        var one = MqttPlc.connect(broker.url(), MqttPlc.DEFAULT_TOPIC);
        var other = MqttPlc.connect(broker.url(), MqttPlc.DEFAULT_TOPIC)) {
      assertThat(one.nextBatchId("L1")).isEqualTo("L1-" + one.runId() + "-000001");
      assertThat(one.nextBatchId("L1")).endsWith("-000002");
      assertThat(one.nextBatchId("L2")).isEqualTo("L2-" + one.runId() + "-000001");
      assertThat(other.runId()).isNotEqualTo(one.runId());
    }
  }

  /** With port 0 the broker must say which port it took, or nobody can connect to it. */
  @Test
  void brokerOnPortZeroReportsTheRealPortAndSubscriptions() throws Exception {
    try (var broker = EmbeddedBroker.start("127.0.0.1", 0)) {
      assertThat(broker.port()).isPositive();
      assertThat(broker.url()).isEqualTo("tcp://127.0.0.1:" + broker.port());
      var subscribed = broker.subscribed("plant/L1/batch-complete");
      assertThat(subscribed).isNotDone();
      TestSubscriber.subscribe(broker.url(), "gw", "plant/+/batch-complete").close();

      assertThat(subscribed.get(5, TimeUnit.SECONDS)).isEqualTo("plant/+/batch-complete");
      assertThat(broker.subscribed("plant/L2/batch-complete")).isDone();
      assertThat(broker.subscribed("plant/L2/other")).isNotDone();
    }
  }

  private static JsonNode json(String payload) {
    try {
      return JSON.readTree(payload);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Set<String> batchIds(TestSubscriber subscriber) {
    var ids = new HashSet<String>();
    subscriber.payloads().forEach(p -> ids.add(json(p).get("batchId").asText()));
    return ids;
  }
}
