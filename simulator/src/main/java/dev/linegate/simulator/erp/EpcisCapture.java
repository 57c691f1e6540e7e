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
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An EPCIS 2.0 repository's capture interface, as far as a sender sees it: {@code POST
 * /epcis/capture} takes an {@code EPCISDocument} (JSON-LD) and answers 202 with the capture job's
 * {@code Location}; a document of more events than it takes is refused with 413, as repositories
 * do. {@code GET /epcis/capture/{id}} answers the capture job (GS1's {@code CaptureJob}): it can be
 * made to run for some polls first, or to fail, as a repository's validation fails a document it
 * took, and then none of the document's events is captured (rollback). Events are recorded
 * de-duplicated by {@code eventID}. {@code GET /epcis/documents} and {@code GET /epcis/events} list
 * what came.
 */
final class EpcisCapture {
  private static final Logger LOG = LoggerFactory.getLogger(EpcisCapture.class);
  private static final long BODY_LIMIT = 64L * 1024 * 1024;

  private final Supplier<String> authorization;
  private final Consumer<EpcisEvent> onNewEvent;

  /** What the next documents get instead of 202 (0: 202); set from outside. */
  private final AtomicInteger failWith = new AtomicInteger();

  private final AtomicInteger maxEvents;

  /** Why the next documents' capture jobs fail (null: they succeed); set from outside. */
  private final AtomicReference<String> jobError = new AtomicReference<>();

  /** How many polls a new capture job answers still running; set from outside. */
  private final AtomicInteger jobPolls = new AtomicInteger();

  /** The capture jobs, by number from 1: what a poll answers. */
  private final List<Job> jobs = new ArrayList<>();

  private static final class Job {
    final Instant createdAt;
    final String error;
    int pollsLeft;
    int polled;

    Job(Instant createdAt, String error, int pollsLeft) {
      this.createdAt = createdAt;
      this.error = error;
      this.pollsLeft = pollsLeft;
    }
  }

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
    router.get("/epcis/capture/:job").handler(this::job);
    router.get("/epcis/documents").handler(ctx -> ErpApi.answer(ctx, 200, documentList()));
    router.get("/epcis/events").handler(ctx -> ErpApi.answer(ctx, 200, eventList()));
  }

  /** Answers every document with {@code status} (0 or a 2xx: normally). */
  void failWith(int status) {
    failWith.set(status / 100 == 2 ? 0 : status);
  }

  /**
   * Fails the capture jobs of the next documents for {@code reason} (null: they succeed again);
   * their events are not captured.
   */
  void failJobs(String reason) {
    jobError.set(reason);
  }

  /** New capture jobs answer {@code polls} polls still running before they finish. */
  void runJobsFor(int polls) {
    jobPolls.set(polls);
  }

  /** How often capture jobs were asked about, all together. */
  synchronized int jobPolls() {
    return jobs.stream().mapToInt(job -> job.polled).sum();
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

  /**
   * Refuses a request without the required Authorization; true if it did. {@code document}: a
   * capture, which counts as refused.
   */
  private boolean refusedCredentials(RoutingContext ctx, boolean document) {
    String required = authorization.get();
    String given = ctx.request().getHeader(HttpHeaders.AUTHORIZATION);
    if (required == null || required.equals(given)) {
      return false;
    }
    int status = given == null ? 401 : 403;
    String message = given == null ? "no credentials" : "refused";
    if (document) {
      refuse(ctx, status, message);
    } else {
      ErpApi.answer(ctx, status, ErpApi.JSON.createObjectNode().put("error", message));
    }
    return true;
  }

  private void capture(RoutingContext ctx) {
    if (refusedCredentials(ctx, true)) {
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

  private void job(RoutingContext ctx) {
    if (refusedCredentials(ctx, false)) {
      return;
    }
    ObjectNode answer = ErpApi.JSON.createObjectNode();
    synchronized (this) {
      int number;
      try {
        number = Integer.parseInt(ctx.pathParam("job"));
      } catch (NumberFormatException e) {
        number = 0;
      }
      if (number < 1 || number > jobs.size()) {
        ErpApi.answer(ctx, 404, answer.put("error", "no capture job " + ctx.pathParam("job")));
        return;
      }
      Job job = jobs.get(number - 1);
      job.polled++;
      boolean running = job.pollsLeft > 0;
      if (running) {
        job.pollsLeft--;
      }
      answer.put("captureID", Integer.toString(number));
      answer.put("createdAt", job.createdAt.toString());
      if (!running) {
        answer.put("finishedAt", job.createdAt.toString());
      }
      answer.put("running", running);
      answer.put("success", running || job.error == null);
      answer.put("captureErrorBehaviour", "rollback");
      ArrayNode errors = answer.putArray("errors");
      if (!running && job.error != null) {
        errors
            .addObject()
            .put("type", "epcisException:ValidationException")
            .put("title", job.error)
            .put("status", 400);
      }
    }
    ErpApi.answer(ctx, 200, answer);
  }

  private void refuse(RoutingContext ctx, int status, String message) {
    synchronized (this) {
      refused++;
    }
    LOG.debug("EPCIS capture answered {}: {}", status, message);
    ErpApi.answer(ctx, status, ErpApi.JSON.createObjectNode().put("error", message));
  }

  /**
   * Records the document and, unless its capture job is to fail, its new events; returns the
   * capture job's number.
   */
  private int record(JsonNode document) {
    Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
    List<EpcisEvent> added = new ArrayList<>();
    int job;
    synchronized (this) {
      documents.add(document);
      String error = jobError.get();
      jobs.add(new Job(now, error, jobPolls.get()));
      job = jobs.size();
      for (JsonNode event :
          error != null ? List.<JsonNode>of() : document.get("epcisBody").get("eventList")) {
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
