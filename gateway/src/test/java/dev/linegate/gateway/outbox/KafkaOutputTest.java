package dev.linegate.gateway.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How an event too large for one Kafka record is cut into parts (SPEC section 13). */
class KafkaOutputTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void anEventThatFitsIsOneRecordAsItIs() throws Exception {
    String event = lot(10);
    assertThat(KafkaOutput.records(event, 100_000))
        .singleElement()
        .satisfies(r -> assertThat(new String(r, StandardCharsets.UTF_8)).isEqualTo(event));
  }

  @Test
  void aLargeLotIsCutIntoPartsThatEachFitAndTogetherHoldEverySerialInOrder() throws Exception {
    String event = lot(100_000);
    int limit = 65_536;
    List<byte[]> records = KafkaOutput.records(event, limit);
    assertThat(records.size()).isGreaterThan(20);
    List<String> serials = new ArrayList<>();
    for (int k = 0; k < records.size(); k++) {
      byte[] record = records.get(k);
      assertThat(record.length).isLessThanOrEqualTo(limit);
      JsonNode part = JSON.readTree(record);
      assertThat(part.get("id").asText())
          .isEqualTo("e-1-part-" + (k + 1) + "-of-" + records.size());
      assertThat(part.get("partof").asText()).isEqualTo("e-1");
      assertThat(part.get("part").asInt()).isEqualTo(k + 1);
      assertThat(part.get("parts").asInt()).isEqualTo(records.size());
      assertThat(part.at("/data/lot").asText()).isEqualTo("L1-00001");
      assertThat(part.at("/data/quantity").asInt()).isEqualTo(100_000);
      part.at("/data/serials").forEach(s -> serials.add(s.asText()));
    }
    assertThat(serials).isEqualTo(serialsOf(100_000));
    // Cut alike at every retry: the same ids, so a consumer can drop a part it already has.
    assertThat(KafkaOutput.records(event, limit)).hasSameSizeAs(records);
    assertThat(KafkaOutput.records(event, limit).get(3)).isEqualTo(records.get(3));
  }

  @Test
  void aLargeEventWithoutSerialsIsRefusedSaying() {
    String event = "{\"id\": \"e-2\", \"data\": {\"note\": \"" + "x".repeat(70_000) + "\"}}";
    assertThatThrownBy(() -> KafkaOutput.records(event, 65_536))
        .hasMessageContaining("no serials to split it by");
  }

  private static String lot(int quantity) {
    ObjectNode event = JSON.createObjectNode();
    event.put("specversion", "1.0").put("id", "e-1").put("type", "dev.linegate.lot.completed");
    ObjectNode data = event.putObject("data");
    data.put("lot", "L1-00001").put("quantity", quantity);
    ArrayNode serials = data.putArray("serials");
    serialsOf(quantity).forEach(serials::add);
    return event.toString();
  }

  private static List<String> serialsOf(int quantity) {
    List<String> serials = new ArrayList<>(quantity);
    for (int i = 0; i < quantity; i++) {
      serials.add(String.format("%012d", 7_000_000L + i * 13L));
    }
    return serials;
  }
}
