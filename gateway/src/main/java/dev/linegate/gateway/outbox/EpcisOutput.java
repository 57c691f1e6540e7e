package dev.linegate.gateway.outbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.linegate.gateway.config.EpcisConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code erp.epcis}: each outbox event as GS1 EPCIS 2.0 events ({@link EpcisEvents}), posted to the
 * repository's capture interface as JSON-LD {@code EPCISDocument}s of at most {@code
 * maxEventsPerDocument} events. The outbox keeps the order, retries and dead letters as for the
 * ERP; the answers mean what they mean there ({@link HttpAnswer}), except 413: the document is cut
 * in halves and sent again, and later documents are no larger than what the repository took.
 *
 * <p>A 202 only says the repository took the document to capture it: the capture job at its {@code
 * Location} says whether it did. The gateway asks until the job has finished, and a failed job
 * (captured with {@code rollback}: none of its events is in the repository) is a dead letter with
 * the repository's errors; a job still running after {@code erp.timeoutMs} is sent again.
 *
 * <p>An event of several documents that fails part-way resumes after the documents accepted, as
 * long as the gateway runs; after a restart it is sent whole again, with the same {@code eventID}s,
 * which a repository recognises.
 */
public final class EpcisOutput implements Output {

  static final String CONTENT_TYPE = "application/ld+json";
  static final String CONTEXT = "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld";

  private static final Logger log = LoggerFactory.getLogger(EpcisOutput.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final EpcisConfig config;
  private final EpcisEvents events;
  private final HttpClient http;
  private final Duration timeout;

  /** The most events a document may have: maxEventsPerDocument, less after a 413. */
  private final AtomicInteger documentLimit;

  /** A capture job's first poll: most jobs of a small document are done by then. */
  private static final long FIRST_POLL_MS = 20;

  private static final long MAX_POLL_MS = 1_000;

  private final AtomicBoolean warnedUnasked = new AtomicBoolean();

  /** Events of an outbox event already accepted, by its id, while the rest is retried. */
  private final Map<String, Integer> accepted = new ConcurrentHashMap<>();

  private EpcisOutput(EpcisConfig config, int timeoutMs) {
    this.config = config;
    this.events = new EpcisEvents(config.location(), config.maxEpcsPerEvent());
    this.timeout = Duration.ofMillis(timeoutMs);
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(Duration.ofMillis(Math.min(timeoutMs, 5_000)))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    this.documentLimit = new AtomicInteger(config.maxEventsPerDocument());
  }

  /** The client; it connects when the first event is sent. */
  public static EpcisOutput start(EpcisConfig config, int timeoutMs) {
    return new EpcisOutput(config, timeoutMs);
  }

  @Override
  public String name() {
    return "epcis";
  }

  @Override
  public String title() {
    return "EPCIS repository";
  }

  @Override
  public String check() {
    return "epcis";
  }

  @Override
  public int concurrency() {
    return config.concurrency();
  }

  @Override
  public DeliveryResult deliver(String eventId, String type, String subject, String payload) {
    List<ObjectNode> list;
    try {
      list = events.of(JSON.readTree(payload));
    } catch (IOException e) {
      return new DeliveryResult.Dead("the event is not JSON: " + e.getMessage());
    }
    int from = accepted.getOrDefault(eventId, 0);
    while (from < list.size()) {
      int size = Math.min(documentLimit.get(), list.size() - from);
      Optional<DeliveryResult> answer = send(list.subList(from, from + size));
      if (answer.isEmpty()) {
        if (size == 1) {
          accepted.remove(eventId);
          return new DeliveryResult.Dead(
              "HTTP 413: the EPCIS repository refuses a document of one event of "
                  + epcCount(list.get(from))
                  + " EPCs as too large; lower erp.epcis.maxEpcsPerEvent");
        }
        shrink(size);
        continue;
      }
      DeliveryResult result = answer.get();
      if (!(result instanceof DeliveryResult.Delivered)) {
        if (result instanceof DeliveryResult.Dead) {
          accepted.remove(eventId);
        } else if (from > 0) {
          accepted.put(eventId, from);
        }
        return result;
      }
      from += size;
      if (from < list.size()) {
        accepted.put(eventId, from);
      }
    }
    accepted.remove(eventId);
    return new DeliveryResult.Delivered();
  }

  /** Posts one document and waits for its capture job; empty for a 413, which cuts it. */
  private Optional<DeliveryResult> send(List<ObjectNode> list) {
    HttpRequest.Builder request =
        request(config.url())
            .header("Content-Type", CONTENT_TYPE)
            .header("GS1-EPCIS-Version", "2.0.0")
            .header("GS1-CBV-Version", "2.0.0")
            // All or nothing: a failed capture job leaves nothing behind that a replay repeats.
            .header("GS1-Capture-Error-Behaviour", "rollback")
            .POST(HttpRequest.BodyPublishers.ofString(document(list).toString()));
    HttpResponse<String> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      return Optional.of(HttpAnswer.failed(e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.of(
          new DeliveryResult.Retry("interrupted while sending to the EPCIS repository"));
    }
    if (response.statusCode() == 413) {
      return Optional.empty();
    }
    Optional<String> job = response.headers().firstValue("Location");
    if (response.statusCode() == 202 && job.isPresent()) {
      return Optional.of(follow(job.get()));
    }
    return Optional.of(answer(response));
  }

  /** What the repository's answer means ({@link HttpAnswer}), credentials named by their key. */
  private static DeliveryResult answer(HttpResponse<String> response) {
    return HttpAnswer.of(
        response.statusCode(), response.body(), "the EPCIS repository", "erp.epcis.headers");
  }

  /**
   * A 202 whose capture job cannot be asked (elsewhere, not a URI, not served): taken as captured,
   * as before capture jobs were asked, and said once.
   */
  private DeliveryResult unasked(String why) {
    if (warnedUnasked.compareAndSet(false, true)) {
      log.warn("EPCIS capture jobs are not asked: {}; a 202 is taken as captured (said once)", why);
    }
    return new DeliveryResult.Delivered();
  }

  /** A request to the repository, with the configured headers (credentials). */
  private HttpRequest.Builder request(URI uri) {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout);
    config.headers().forEach((name, value) -> request.header(name, value.value()));
    return request;
  }

  /**
   * Asks the capture job at {@code location} (the 202's, relative to {@code erp.epcis.url}) until
   * it has finished, for at most {@code erp.timeoutMs}: its outcome is the document's. A job
   * elsewhere than the capture interface's host is not asked: the credentials go to the repository
   * only.
   */
  private DeliveryResult follow(String location) {
    URI job;
    try {
      job = config.url().resolve(location);
    } catch (IllegalArgumentException e) {
      return unasked(
          "the repository's Location \"" + HttpAnswer.abbreviate(location) + "\" is no URI");
    }
    if (!sameOrigin(job, config.url())) {
      return unasked(
          "the repository answers them on another host ("
              + job.getHost()
              + "), which gets no credentials");
    }
    try {
      return ask(job);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new DeliveryResult.Retry(
          "interrupted while asking the EPCIS capture job " + job.getPath());
    }
  }

  /** Asks {@code job} until it has finished or {@code erp.timeoutMs} has passed. */
  private DeliveryResult ask(URI job) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    long pauseMs = FIRST_POLL_MS;
    String last = "no answer yet";
    while (true) {
      long leftMs = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
      try {
        HttpResponse<String> response =
            http.send(
                request(job)
                    .timeout(Duration.ofMillis(Math.max(1, leftMs)))
                    .header("Accept", "application/json")
                    .GET()
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        int status = response.statusCode();
        if (status == 401 || status == 403) {
          return answer(response);
        }
        if (status == 404 || status == 405 || status == 410 || status == 501) {
          return unasked("the repository answers HTTP " + status + " for " + job.getPath());
        }
        if (status == 200) {
          JsonNode state = JSON.readTree(response.body());
          if (!state.path("running").asBoolean(false)) {
            return state.path("success").asBoolean(false)
                ? new DeliveryResult.Delivered()
                : new DeliveryResult.Dead(failed(job, state));
          }
          last = "still running";
        } else {
          last = "HTTP " + status;
        }
      } catch (IOException e) {
        last = HttpAnswer.failed(e).reason();
      }
      if (System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(pauseMs) > deadline) {
        return new DeliveryResult.Retry(
            "the EPCIS repository's capture job "
                + job.getPath()
                + " has not finished within erp.timeoutMs ("
                + last
                + "); the document is sent again");
      }
      // The repository's own pace: a capture job has no event to wait for.
      Thread.sleep(pauseMs);
      pauseMs = Math.min(pauseMs * 2, MAX_POLL_MS);
    }
  }

  /**
   * A failed job's dead letter. Sent with {@code rollback}, nothing of it is captured; a repository
   * that went on ({@code proceed}) may have captured some, which a replay sends again under the
   * same {@code eventID}s.
   */
  private static String failed(URI job, JsonNode state) {
    boolean proceeded = state.path("captureErrorBehaviour").asText("rollback").equals("proceed");
    return "the EPCIS repository's capture job "
        + job.getPath()
        + (proceeded
            ? " failed, some of the document's events may be captured: "
            : " failed, nothing of the document was captured: ")
        + errors(state.path("errors"));
  }

  private static boolean sameOrigin(URI a, URI b) {
    return Objects.equals(a.getScheme(), b.getScheme())
        && Objects.equals(a.getHost(), b.getHost())
        && port(a) == port(b);
  }

  /** {@code http://host/} is {@code http://host:80/}. */
  private static int port(URI uri) {
    return uri.getPort() != -1 ? uri.getPort() : "https".equals(uri.getScheme()) ? 443 : 80;
  }

  /** The repository's errors (RFC 7807 problems), shortly. */
  private static String errors(JsonNode errors) {
    List<String> each = new ArrayList<>();
    for (JsonNode error : errors) {
      String title = error.path("title").asText(error.path("type").asText("error"));
      String detail = error.path("detail").asText("");
      each.add(detail.isEmpty() ? title : title + " (" + detail + ")");
    }
    if (each.isEmpty()) {
      return "no errors given";
    }
    String joined = String.join("; ", each.subList(0, Math.min(each.size(), 5)));
    return each.size() > 5 ? joined + "; and " + (each.size() - 5) + " more" : joined;
  }

  /** After a 413 for {@code size} events: at most half as many from now on. */
  private void shrink(int size) {
    int half = Math.max(1, size / 2);
    if (documentLimit.getAndAccumulate(half, Math::min) > half) {
      log.warn(
          "The EPCIS repository refuses a document of {} events as too large (HTTP 413): sending"
              + " at most {} per document from now on (erp.epcis.maxEventsPerDocument: {})",
          size,
          half,
          config.maxEventsPerDocument());
    }
  }

  static ObjectNode document(List<ObjectNode> list) {
    ObjectNode document = JsonNodeFactory.instance.objectNode();
    ArrayNode context = document.putArray("@context");
    context.add(CONTEXT);
    context.addObject().put("linegate", EpcisEvents.NAMESPACE);
    document.put("type", "EPCISDocument");
    document.put("schemaVersion", "2.0");
    document.put("creationDate", Instant.now().toString());
    ArrayNode eventList = document.putObject("epcisBody").putArray("eventList");
    list.forEach(eventList::add);
    return document;
  }

  private static int epcCount(JsonNode event) {
    return event.path("epcList").size() + event.path("childEPCs").size();
  }

  @Override
  public void close() {
    // The JDK's client has nothing to close in Java 17; its connections end with their idle time.
  }
}
