package dev.linegate.simulator.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class BatchGeneratorTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Duplicates must be byte-identical re-sends, and malformed messages really invalid. */
  @Test
  void mixesDuplicatesAndMalformedMessagesInTheSharesAskedFor() throws Exception {
    int messages = 600;
    var options = options(List.of("L1", "L2"), 3_000, messages, 0.2, 0.2);
    try (var broker = EmbeddedBroker.start("127.0.0.1", 0);
        var gateway = TestSubscriber.subscribe(broker.url(), "gw", "plant/+/batch-complete");
        var plc = MqttPlc.connect(broker.url(), MqttPlc.DEFAULT_TOPIC)) {
      var summary = new BatchGenerator(options, new SplittableRandom(7), p -> {}).run(plc);

      assertThat(summary.batches() + summary.duplicates() + summary.malformed())
          .isEqualTo(messages);
      assertThat(summary.failed()).isZero();
      assertThat(summary.duplicates()).isBetween(80L, 160L);
      assertThat(summary.malformed()).isBetween(80L, 160L);
      await().until(() -> gateway.payloads().size() == messages);

      var seen = new HashSet<String>();
      long repeated = 0;
      long invalid = 0;
      for (String payload : gateway.payloads()) {
        if (!isValidBatch(payload)) {
          invalid++;
        } else if (!seen.add(payload)) {
          repeated++;
        }
      }
      assertThat(repeated).isEqualTo(summary.duplicates());
      assertThat(invalid).isEqualTo(summary.malformed());
    }
  }

  /** Every kind of malformed message breaks a rule of SPEC section 3. */
  @ParameterizedTest
  @EnumSource(Malformed.class)
  void malformedPayloadsBreakTheBatchContract(Malformed kind) {
    var valid = BatchMessage.completedNow("L1", "B-1", "WIDGET-100", 10);
    assertThat(isValidBatch(valid.toJson())).isTrue();
    assertThat(isValidBatch(kind.payload(valid))).isFalse();
  }

  /** A load figure means nothing if the generator sends bursts instead of a steady rate. */
  @Test
  void pacesMessagesEvenly() throws Exception {
    double rate = 200;
    int messages = 100;
    var sent = new ConcurrentLinkedQueue<Long>();
    try (var broker = EmbeddedBroker.start("127.0.0.1", 0);
        var plc = MqttPlc.connect(broker.url(), MqttPlc.DEFAULT_TOPIC)) {
      new BatchGenerator(
              options(List.of("L1"), rate, messages, 0, 0),
              new SplittableRandom(),
              p -> sent.add(p.publishedNanos()))
          .run(plc);
    }
    var nanos = new ArrayList<>(sent);
    double spanSeconds = (nanos.get(messages - 1) - nanos.get(0)) / 1e9;
    assertThat(spanSeconds).isBetween(0.9 * (messages - 1) / rate, 2.0 * (messages - 1) / rate);
    long burstGaps = 0;
    for (int i = 1; i < messages; i++) {
      if (nanos.get(i) - nanos.get(i - 1) < 1_000_000) {
        burstGaps++;
      }
    }
    assertThat(burstGaps).isLessThan(messages / 10);
  }

  @Test
  void stopEndsAnEndlessRun() throws Exception {
    try (var broker = EmbeddedBroker.start("127.0.0.1", 0);
        var plc = MqttPlc.connect(broker.url(), MqttPlc.DEFAULT_TOPIC)) {
      var options =
          new BatchGenerator.Options(
              List.of("L1"), 100, OptionalLong.empty(), Optional.empty(), "WIDGET-100", 1, 0, 0);
      var published = new ConcurrentLinkedQueue<BatchGenerator.Published>();
      var generator = new BatchGenerator(options, new SplittableRandom(), published::add);
      var run = CompletableFuture.supplyAsync(() -> runQuietly(generator, plc));
      await().until(() -> published.size() >= 5);
      generator.stop();
      assertThat(run.get(5, TimeUnit.SECONDS).batches()).isGreaterThanOrEqualTo(5);
    }
  }

  @Test
  void rejectsSharesThatCannotBeMet() {
    assertThatThrownBy(() -> options(List.of("L1"), 1, 1, 0.7, 0.4))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> options(List.of("L1"), 0, 1, 0, 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> options(List.of(), 1, 1, 0, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static BatchGenerator.Summary runQuietly(BatchGenerator generator, MqttPlc plc) {
    try {
      return generator.run(plc);
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  private static BatchGenerator.Options options(
      List<String> lines, double rate, long count, double duplicates, double malformed) {
    return new BatchGenerator.Options(
        lines,
        rate,
        OptionalLong.of(count),
        Optional.empty(),
        "WIDGET-100",
        10,
        duplicates,
        malformed);
  }

  /** SPEC section 3, with WIDGET-100 the only configured product. */
  private static boolean isValidBatch(String payload) {
    JsonNode json;
    try {
      json = JSON.readTree(payload);
    } catch (IOException e) {
      return false;
    }
    if (json == null || !json.isObject()) {
      return false;
    }
    String batchId = json.path("batchId").isTextual() ? json.get("batchId").asText() : "";
    JsonNode quantity = json.path("quantity");
    boolean validTime = true;
    if (json.has("completedAt")) {
      try {
        Instant.parse(json.get("completedAt").asText());
      } catch (RuntimeException e) {
        validTime = false;
      }
    }
    return !batchId.isEmpty()
        && batchId.length() <= 64
        && json.path("product").asText().equals("WIDGET-100")
        && quantity.isIntegralNumber()
        && quantity.asLong() >= 1
        && quantity.asLong() <= 1_000_000
        && validTime;
  }
}
