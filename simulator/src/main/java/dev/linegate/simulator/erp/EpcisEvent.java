package dev.linegate.simulator.erp;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** An EPCIS 2.0 event as the capture endpoint received it, inside a document. */
public record EpcisEvent(JsonNode event, Instant receivedAt) {

  public String eventId() {
    return event.path("eventID").asText();
  }

  /** {@code ObjectEvent}, {@code AggregationEvent}, ... */
  public String type() {
    return event.path("type").asText();
  }

  public String action() {
    return event.path("action").asText();
  }

  /** The business step without its CBV prefix: {@code commissioning}, {@code packing}. */
  public String bizStep() {
    return event.path("bizStep").asText();
  }

  public String disposition() {
    return event.path("disposition").asText();
  }

  /**
   * The EPCs the event is about, in order: {@code epcList}, or {@code childEPCs} of an aggregation;
   * none for an event about a class ({@code quantityList}).
   */
  public List<String> epcs() {
    List<String> epcs = new ArrayList<>();
    event.path(event.has("childEPCs") ? "childEPCs" : "epcList").forEach(e -> epcs.add(e.asText()));
    return epcs;
  }

  /**
   * One line for logs, e.g. {@code ObjectEvent ADD commissioning 12 EPCs lot=L126327001} or {@code
   * AggregationEvent ADD packing parent=https://id.gs1.org/00/... 6 EPCs}.
   */
  public String summary() {
    var text = new StringBuilder(type()).append(' ').append(action()).append(' ').append(bizStep());
    if (event.hasNonNull("parentID")) {
      text.append(" parent=").append(event.get("parentID").asText());
    }
    List<String> epcs = epcs();
    if (!epcs.isEmpty()) {
      text.append(' ').append(epcs.size()).append(" EPCs");
    }
    if (event.path("quantityList").isArray()) {
      event
          .get("quantityList")
          .forEach(q -> text.append(" class=").append(q.path("epcClass").asText()));
    }
    JsonNode lot = event.path("ilmd").path("cbvmda:lotNumber");
    if (!lot.isMissingNode()) {
      text.append(" lot=").append(lot.asText());
    }
    return text.toString();
  }
}
