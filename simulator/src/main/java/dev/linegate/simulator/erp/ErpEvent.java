package dev.linegate.simulator.erp;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * A CloudEvent as the ERP received it. {@code receivedNanos} is {@link System#nanoTime()} at
 * arrival, comparable with the sender's own nanoTime readings in this JVM; {@code receivedAt} is
 * the wall clock to the microsecond. {@code body} is the parsed event: treat it as read-only.
 */
public record ErpEvent(
    String key, String type, JsonNode body, long receivedNanos, Instant receivedAt) {

  public String id() {
    return body.path("id").asText();
  }

  public JsonNode data() {
    return body.path("data");
  }

  /**
   * One line for logs, e.g. {@code dev.linegate.lot.completed lot=L1 line=L1 quantity=12 12
   * serials}.
   */
  public String summary() {
    var text = new StringBuilder(type);
    for (String field : new String[] {"lot", "line", "serial", "status", "quantity"}) {
      if (data().hasNonNull(field)) {
        text.append(' ').append(field).append('=').append(data().get(field).asText());
      }
    }
    if (data().path("serials").isArray()) {
      text.append(' ').append(data().get("serials").size()).append(" serials");
    }
    return text.toString();
  }
}
