package dev.linegate.simulator.mqtt;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * A batch-complete signal as SPEC section 3 defines it. {@code line} only chooses the topic: it is
 * not part of the payload.
 */
public record BatchMessage(
    String line, String batchId, String product, int quantity, Instant completedAt) {
  private static final ObjectMapper JSON = new ObjectMapper();

  public static BatchMessage completedNow(
      String line, String batchId, String product, int quantity) {
    return new BatchMessage(
        line, batchId, product, quantity, Instant.now().truncatedTo(ChronoUnit.MILLIS));
  }

  /** A fresh, mutable JSON object, so malformed variants can be derived from it. */
  ObjectNode toJsonNode() {
    return JSON.createObjectNode()
        .put("batchId", batchId)
        .put("product", product)
        .put("quantity", quantity)
        .put("completedAt", completedAt.toString());
  }

  public String toJson() {
    return toJsonNode().toString();
  }
}
