package dev.linegate.simulator.mqtt;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.function.Function;

/**
 * Invalid batch-complete payloads, one per kind of fault the gateway must reject (SPEC section 3).
 */
public enum Malformed {
  NOT_JSON(json -> "batch " + json.get("batchId").asText() + " complete"),
  TRUNCATED_JSON(json -> json.toString().substring(0, json.toString().length() / 2)),
  EMPTY(json -> ""),
  MISSING_BATCH_ID(json -> without(json, "batchId")),
  MISSING_PRODUCT(json -> without(json, "product")),
  MISSING_QUANTITY(json -> without(json, "quantity")),
  QUANTITY_NOT_A_NUMBER(json -> json.put("quantity", "abc").toString()),
  QUANTITY_ZERO(json -> json.put("quantity", 0).toString()),
  QUANTITY_TOO_LARGE(json -> json.put("quantity", 1_000_001).toString()),
  UNKNOWN_PRODUCT(json -> json.put("product", "NO-SUCH-PRODUCT").toString()),
  BATCH_ID_TOO_LONG(json -> json.put("batchId", "B".repeat(65)).toString());

  private final Function<ObjectNode, String> spoil;

  Malformed(Function<ObjectNode, String> spoil) {
    this.spoil = spoil;
  }

  /** The payload of {@code valid} spoiled in this way. */
  public String payload(BatchMessage valid) {
    return spoil.apply(valid.toJsonNode());
  }

  private static String without(ObjectNode json, String field) {
    json.remove(field);
    return json.toString();
  }
}
