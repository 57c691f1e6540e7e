package dev.linegate.gateway.outbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.linegate.gateway.config.EpcisConfig;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
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

  /** Posts one document; empty for a 413, which cuts it. */
  private Optional<DeliveryResult> send(List<ObjectNode> list) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(config.url())
            .timeout(timeout)
            .header("Content-Type", CONTENT_TYPE)
            .header("GS1-EPCIS-Version", "2.0.0")
            .header("GS1-CBV-Version", "2.0.0")
            .POST(HttpRequest.BodyPublishers.ofString(document(list).toString()));
    config.headers().forEach((name, value) -> request.header(name, value.value()));
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
    return Optional.of(
        HttpAnswer.of(
            response.statusCode(), response.body(), "the EPCIS repository", "erp.epcis.headers"));
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
