package dev.linegate.gateway.api;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.linegate.gateway.rejects.Reject;

/** A refused input, for {@code GET /api/rejects}. */
final class RejectJson {

  private RejectJson() {}

  static ObjectNode of(Reject reject) {
    ObjectNode json = JsonNodeFactory.instance.objectNode();
    json.put("id", reject.id());
    json.put("kind", reject.kind());
    json.put("line", reject.line().orElse(null));
    json.put("origin", reject.origin());
    json.put("receivedAt", reject.receivedAt().toString());
    json.put("reason", reject.reason());
    json.put("raw", reject.raw());
    return json;
  }
}
