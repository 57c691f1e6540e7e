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

  public static final String LOT_COMPLETED = "dev.linegate.lot.completed";

  /** The further serials of a lot larger than one part, after its lot.completed. */
  public static final String LOT_SERIALS = "dev.linegate.lot.serials";

  public String id() {
    return body.path("id").asText();
  }

  public JsonNode data() {
    return body.path("data");
  }

  /**
   * Whether this event completes what the ERP knows of its lot's serials: a {@code lot.completed}
   * of one part, or the last {@code lot.serials} part of a larger lot (parts arrive in order).
   */
  public boolean completesLot() {
    int parts = data().path("parts").asInt(1);
    return switch (type) {
      case LOT_COMPLETED -> parts == 1;
      case LOT_SERIALS -> data().path("part").asInt() == parts;
      default -> false;
    };
  }

  /**
   * One line for logs, e.g. {@code dev.linegate.lot.completed lot=L1 line=L1 quantity=12 12
   * serials}; a lot of more than one part of serials adds {@code (part 1 of 100)}.
   */
  public String summary() {
    var text = new StringBuilder(type);
    for (String field :
        new String[] {"lot", "line", "serial", "status", "quantity", "level", "sscc", "units"}) {
      if (data().hasNonNull(field)) {
        text.append(' ').append(field).append('=').append(data().get(field).asText());
      }
    }
    if (data().path("serials").isArray()) {
      text.append(' ').append(data().get("serials").size()).append(" serials");
    }
    if (data().has("parts")) {
      text.append(" (part ")
          .append(data().path("part").asInt(1))
          .append(" of ")
          .append(data().get("parts").asInt())
          .append(')');
    }
    return text.toString();
  }
}
