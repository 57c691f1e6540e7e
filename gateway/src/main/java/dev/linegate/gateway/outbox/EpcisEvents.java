package dev.linegate.gateway.outbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.linegate.gateway.gs1.DigitalLink;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * What an outbox event is in GS1 EPCIS 2.0 (SPEC section 13; the table in the README's "EPCIS"):
 * the events, in the order they are to be captured, for {@link EpcisOutput} to put into documents.
 *
 * <ul>
 *   <li>{@code lot.completed}, {@code lot.serials}: ObjectEvent ADD {@code commissioning} {@code
 *       active} of the serials, with {@code ilmd} lot number and expiry, at most {@code
 *       maxEpcsPerEvent} EPCs each;
 *   <li>{@code aggregation.packed}: AggregationEvent ADD {@code packing} of the case's or pallet's
 *       children under its SSCC; {@code aggregation.unpacked}: DELETE {@code unpacking};
 *   <li>{@code serial.status-changed}: a voided serial, or one whose label was scrapped and not
 *       reprinted with it, ObjectEvent DELETE {@code decommissioning} {@code inactive}, and a new
 *       serial on the replacement label ADD {@code commissioning}; a sampled one OBSERVE {@code
 *       sampling} {@code non_sellable_other}; a scrapped label reprinted with the same serial
 *       changes nothing a trading partner sees, and is no EPCIS event;
 *   <li>{@code lot.status-changed}: ObjectEvent OBSERVE of the lot as a class ({@code
 *       https://id.gs1.org/01/{gtin}/10/{lot}}): hold {@code holding} {@code non_sellable_other},
 *       recall {@code holding} {@code recalled}, release {@code inspecting} {@code conformant};
 *   <li>{@code label.*} and {@code lot.closed}: none; they are the ERP's business.
 * </ul>
 *
 * <p>Each event's {@code eventID} is a name-based UUID of the outbox event's id and the event's
 * place among its events: the same at every retry, and a repository can discard what it has.
 */
final class EpcisEvents {

  /** The namespace of the events' extension fields ({@code linegate:event}). */
  static final String NAMESPACE = "https://linegate.dev/epcis/";

  private static final String DIGITAL_LINK = "https://id.gs1.org/";
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private final String location;
  private final int maxEpcsPerEvent;

  EpcisEvents(String location, int maxEpcsPerEvent) {
    this.location = location;
    this.maxEpcsPerEvent = maxEpcsPerEvent;
  }

  /** The EPCIS events of {@code cloudEvent} (the outbox's payload), possibly none. */
  List<ObjectNode> of(JsonNode cloudEvent) {
    String type = cloudEvent.path("type").asText();
    JsonNode data = cloudEvent.path("data");
    Builder events = new Builder(cloudEvent);
    if (type.equals(EventType.LOT_COMPLETED.cloudEventType())
        || type.equals(EventType.LOT_SERIALS.cloudEventType())) {
      commission(events, data, data.path("serials"), events.time);
    } else if (type.equals(EventType.AGGREGATION_PACKED.cloudEventType())) {
      aggregate(events, data, "ADD", "packing");
    } else if (type.equals(EventType.AGGREGATION_UNPACKED.cloudEventType())) {
      aggregate(events, data, "DELETE", "unpacking");
    } else if (type.equals(EventType.SERIAL_STATUS_CHANGED.cloudEventType())) {
      serialChanged(events, data);
    } else if (type.equals(EventType.LOT_STATUS_CHANGED.cloudEventType())) {
      lotChanged(events, data);
    }
    return events.list;
  }

  private void commission(Builder events, JsonNode data, JsonNode serials, String time) {
    String gtin = data.path("gtin").asText();
    List<String> epcs = new ArrayList<>(serials.size());
    serials.forEach(serial -> epcs.add(unit(gtin, serial.asText())));
    for (List<String> slice : slices(epcs)) {
      ObjectNode event = events.add("ObjectEvent", time);
      epcList(event, "epcList", slice);
      event.put("action", "ADD");
      event.put("bizStep", "commissioning");
      event.put("disposition", "active");
      where(event);
      ObjectNode ilmd = event.putObject("ilmd");
      ilmd.put("cbvmda:lotNumber", data.path("lot").asText());
      ilmd.put("cbvmda:itemExpirationDate", data.path("expiryDate").asText());
    }
  }

  private void aggregate(Builder events, JsonNode data, String action, String bizStep) {
    List<String> children = new ArrayList<>();
    for (JsonNode child : data.path("children")) {
      children.add(
          child.has("sscc")
              ? sscc(child.get("sscc").asText())
              : unit(child.path("gtin").asText(), child.path("serial").asText()));
    }
    for (List<String> slice : slices(children)) {
      ObjectNode event = events.add("AggregationEvent", events.at(data));
      event.put("parentID", sscc(data.path("sscc").asText()));
      epcList(event, "childEPCs", slice);
      event.put("action", action);
      event.put("bizStep", bizStep);
      event.put("disposition", "in_progress");
      where(event);
      if (data.hasNonNull("reason")) {
        event.put("linegate:reason", data.get("reason").asText());
      }
    }
  }

  private void serialChanged(Builder events, JsonNode data) {
    String serial = data.path("serial").asText();
    String to = data.path("to").asText();
    String at = events.at(data);
    String replacement = data.path("replacement").asText(null);
    if (to.equals("sampled")) {
      one(events, data, at, "OBSERVE", "sampling", "non_sellable_other");
    } else if (to.equals("voided") || (to.equals("rejected") && !serial.equals(replacement))) {
      one(events, data, at, "DELETE", "decommissioning", "inactive");
      if (replacement != null) {
        commission(events, data, JSON.arrayNode().add(replacement), at);
      }
    }
  }

  private void one(
      Builder events, JsonNode data, String at, String action, String bizStep, String disposition) {
    ObjectNode event = events.add("ObjectEvent", at);
    epcList(
        event, "epcList", List.of(unit(data.path("gtin").asText(), data.path("serial").asText())));
    event.put("action", action);
    event.put("bizStep", bizStep);
    event.put("disposition", disposition);
    where(event);
    event.put("linegate:reason", data.path("reason").asText());
  }

  private void lotChanged(Builder events, JsonNode data) {
    String bizStep;
    String disposition;
    switch (data.path("to").asText()) {
      case "on-hold" -> {
        bizStep = "holding";
        disposition = "non_sellable_other";
      }
      case "recalled" -> {
        bizStep = "holding";
        disposition = "recalled";
      }
      case "released" -> {
        bizStep = "inspecting";
        disposition = "conformant";
      }
      default -> {
        return;
      }
    }
    ObjectNode event = events.add("ObjectEvent", events.at(data));
    event
        .putArray("quantityList")
        .addObject()
        .put(
            "epcClass",
            DIGITAL_LINK
                + "01/"
                + data.path("gtin").asText()
                + "/10/"
                + DigitalLink.encode(data.path("lot").asText()));
    event.put("action", "OBSERVE");
    event.put("bizStep", bizStep);
    event.put("disposition", disposition);
    where(event);
    event.put("linegate:reason", data.path("reason").asText());
  }

  private void where(ObjectNode event) {
    event.putObject("readPoint").put("id", location);
    event.putObject("bizLocation").put("id", location);
  }

  private List<List<String>> slices(List<String> epcs) {
    List<List<String>> slices = new ArrayList<>();
    for (int from = 0; from < epcs.size(); from += maxEpcsPerEvent) {
      slices.add(epcs.subList(from, Math.min(epcs.size(), from + maxEpcsPerEvent)));
    }
    return slices;
  }

  private static void epcList(ObjectNode event, String field, List<String> epcs) {
    ArrayNode list = event.putArray(field);
    epcs.forEach(list::add);
  }

  /** A unit's EPC: its GTIN and serial as a GS1 Digital Link URI. */
  static String unit(String gtin, String serial) {
    return DIGITAL_LINK + "01/" + gtin + "/21/" + DigitalLink.encode(serial);
  }

  static String sscc(String sscc) {
    return DIGITAL_LINK + "00/" + sscc;
  }

  /** The events of one outbox event, numbered for their ids. */
  private static final class Builder {
    private final String cloudEventId;
    private final String time;
    private final List<ObjectNode> list = new ArrayList<>();

    Builder(JsonNode cloudEvent) {
      this.cloudEventId = cloudEvent.path("id").asText();
      this.time = cloudEvent.path("time").asText();
    }

    /** When it happened: the change's {@code at}, else when the event was written. */
    String at(JsonNode data) {
      return data.path("at").asText(time);
    }

    ObjectNode add(String type, String eventTime) {
      ObjectNode event = JSON.objectNode();
      event.put("type", type);
      event.put("eventTime", eventTime);
      event.put("eventTimeZoneOffset", "+00:00");
      String name = cloudEventId + "/" + list.size();
      event.put(
          "eventID", "urn:uuid:" + UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)));
      event.put("linegate:event", cloudEventId);
      list.add(event);
      return event;
    }
  }
}
