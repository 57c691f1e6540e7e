package dev.linegate.gateway.api;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.linegate.gateway.outbox.OutboxEntry;

/**
 * An outbox event's standing, for {@code GET /api/outbox}; the CloudEvent itself goes to the ERP
 * only.
 */
final class OutboxJson {

  private OutboxJson() {}

  static ObjectNode of(OutboxEntry event) {
    ObjectNode json = JsonNodeFactory.instance.objectNode();
    json.put("id", event.id());
    json.put("eventId", event.eventId());
    json.put("output", event.output());
    json.put("type", event.type());
    json.put("lot", event.lot());
    json.put("state", event.state());
    json.put("attempts", event.attempts());
    json.put("createdAt", event.createdAt().toString());
    json.put("nextAttemptAt", event.nextAttemptAt().toString());
    json.put("lastError", event.lastError().orElse(null));
    return json;
  }
}
