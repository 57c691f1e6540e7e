package dev.linegate.simulator.erp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.io.IOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An EPCIS 2.0 repository's capture interface, as far as a sender sees it: {@code POST
 * /epcis/capture} takes an {@code EPCISDocument} (JSON-LD) and answers 202 with the capture job's
 * {@code Location}; a document of more events than it takes is refused with 413, as repositories
 * do. Events are recorded de-duplicated by {@code eventID}. {@code GET /epcis/documents} and {@code
 * GET /epcis/events} list what came.
 */
final class EpcisCapture {
  private static final Logger LOG = LoggerFactory.getLogger(EpcisCapture.class);
  private static final long BODY_LIMIT = 64L * 1024 * 1024;

  private final Supplier<String> authorization;
  private final Consumer<EpcisEvent> onNewEvent;

  /** What the next documents get instead of 202 (0: 202); set from outside. */
  private final AtomicInteger failWith = new AtomicInteger();

  private final AtomicInteger maxEvents;

  private final List<JsonNode> documents = new ArrayList<>();
  private final List<EpcisEvent> events = new ArrayList<>();
  private final Set<String> eventIds = new HashSet<>();
  private long duplicates;
  private long refused;

  EpcisCapture(Supplier<String> authorization, int maxEvents, Consumer<EpcisEvent> onNewEvent) {
    this.authorization = authorization;
    this.maxEvents = new AtomicInteger(maxEvents);
    this.onNewEvent = onNewEvent;
  }

  void addRoutes(Router router) {
    router
        .post("/epcis/capture")
        .handler(BodyHandler.create(false).setBodyLimit(BODY_LIMIT))
        .handler(this::capture);
    router.get("/epcis/documents").handler(ctx -> ErpApi.answer(ctx, 200, documentList()));
    router.get("/epcis/events").handler(ctx -> ErpApi.answer(ctx, 200, eventList()));
  }

  /** Answers every document with {@code status} (0 or a 2xx: normally). */
  void failWith(int status) {
    failWith.set(status / 100 == 2 ? 0 : status);
  }

  /** Refuses a document of more than {@code max} events with 413. */
  void limitEvents(int max) {
    maxEvents.set(max);
  }

  synchronized List<JsonNode> documents() {
    return List.copyOf(documents);
  }

  synchronized List<EpcisEvent> events() {
    return List.copyOf(events);
  }

  synchronized long duplicates() {
    return duplicates;
  }

  /** Documents answered with anything but 202. */
  synchronized long refused() {
    return refused;
  }

  private void capture(RoutingContext ctx) {
    String required = authorization.get();
    String given = ctx.request().getHeader(HttpHeaders.AUTHORIZATION);
    if (required != null && !required.equals(given)) {
      refuse(ctx, given == null ? 401 : 403, given == null ? "no credentials" : "refused");
      return;
    }
    String contentType = String.valueOf(ctx.request().getHeader(HttpHeaders.CONTENT_TYPE));
    String media = contentType.split(";")[0].trim().toLowerCase();
    if (!media.equals("application/ld+json") && !media.equals("application/json")) {
      refuse(ctx, 415, "Content-Type must be application/ld+json, not " + contentType);
      return;
    }
    JsonNode document;
    try {
      document = ErpApi.JSON.readTree(ctx.body().buffer().getBytes());
    } catch (IOException e) {
      refuse(ctx, 400, "the body is not JSON: " + e.getMessage());
      return;
    }
    if (document == null
        || !document.path("type").asText().equals("EPCISDocument")
        || !document.path("epcisBody").path("eventList").isArray()) {
      refuse(ctx, 400, "not an EPCISDocument with epcisBody.eventList");
      return;
    }
    int status = failWith.get();
    if (status != 0) {
      refuse(ctx, status, "simulated " + status);
      return;
    }
    int count = document.get("epcisBody").get("eventList").size();
    if (count > maxEvents.get()) {
      refuse(ctx, 413, "a document may have at most " + maxEvents.get() + " events, not " + count);
      return;
    }
    int job = record(document);
    ctx.response()
        .setStatusCode(202)
        .putHeader(HttpHeaders.LOCATION, "/epcis/capture/" + job)
        .end();
  }

  private void refuse(RoutingContext ctx, int status, String message) {
    synchronized (this) {
      refused++;
    }
    LOG.debug("EPCIS capture answered {}: {}", status, message);
    ErpApi.answer(ctx, status, ErpApi.JSON.createObjectNode().put("error", message));
  }

  /** Records the document and its new events; returns the capture job's number. */
  private int record(JsonNode document) {
    Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
    List<EpcisEvent> added = new ArrayList<>();
    int job;
    synchronized (this) {
      documents.add(document);
      job = documents.size();
      for (JsonNode event : document.get("epcisBody").get("eventList")) {
        EpcisEvent received = new EpcisEvent(event, now);
        if (eventIds.add(received.eventId())) {
          events.add(received);
          added.add(received);
        } else {
          duplicates++;
        }
      }
    }
    added.forEach(onNewEvent);
    return job;
  }

  private synchronized ArrayNode documentList() {
    ArrayNode list = ErpApi.JSON.createArrayNode();
    documents.forEach(list::add);
    return list;
  }

  private synchronized ArrayNode eventList() {
    ArrayNode list = ErpApi.JSON.createArrayNode();
    for (EpcisEvent event : events) {
      ObjectNode item = list.addObject();
      item.put("receivedAt", event.receivedAt().toString());
      item.set("event", event.event());
    }
    return list;
  }
}
