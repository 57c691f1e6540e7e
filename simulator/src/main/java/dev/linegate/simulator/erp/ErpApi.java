package dev.linegate.simulator.erp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.io.IOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The ERP's HTTP API: takes CloudEvents as SPEC section 5 sends them, and lists what it took. */
final class ErpApi {
  static final String CLOUDEVENTS_JSON = "application/cloudevents+json";
  static final ObjectMapper JSON = new ObjectMapper();

  private static final Logger LOG = LoggerFactory.getLogger(ErpApi.class);

  /**
   * A Linegate event carries at most 10,000 serials (about 250 KB); a lot of 1,000,000 units in one
   * event, as other senders may post it, is about 23 MB.
   */
  private static final long BODY_LIMIT = 64L * 1024 * 1024;

  private static final String[] REQUIRED_ATTRIBUTES = {"id", "source", "type"};

  private final Vertx vertx;
  private final EventLog log;
  private final Supplier<ResponsePolicy> policy;
  private final Supplier<String> authorization;
  private final Consumer<ErpEvent> onNewEvent;

  ErpApi(
      Vertx vertx,
      EventLog log,
      Supplier<ResponsePolicy> policy,
      Supplier<String> authorization,
      Consumer<ErpEvent> onNewEvent) {
    this.vertx = vertx;
    this.log = log;
    this.policy = policy;
    this.authorization = authorization;
    this.onNewEvent = onNewEvent;
  }

  Router router() {
    var router = Router.router(vertx);
    router
        .post("/api/events")
        .handler(BodyHandler.create(false).setBodyLimit(BODY_LIMIT))
        .handler(this::receive);
    router.get("/api/events/stats").handler(ctx -> answer(ctx, 200, JSON.valueToTree(log.stats())));
    router.get("/api/events").handler(this::list);
    return router;
  }

  private void receive(RoutingContext ctx) {
    long receivedNanos = System.nanoTime();
    var receivedAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
    log.countReceived();
    String required = authorization.get();
    String given = ctx.request().getHeader(HttpHeaders.AUTHORIZATION);
    if (required != null && !required.equals(given)) {
      log.countRejected();
      answer(ctx, given == null ? 401 : 403, error(given == null ? "no credentials" : "refused"));
      return;
    }
    ErpEvent event;
    try {
      event = parse(ctx, receivedNanos, receivedAt);
    } catch (InvalidRequest e) {
      log.countRejected();
      LOG.warn("rejected a request that breaks the event contract: {}", e.getMessage());
      answer(ctx, e.status, error(e.getMessage()));
      return;
    }
    // The decision is taken, and the event recorded, on arrival: a real ERP that answers late has
    // usually stored the event already, so a client that gives up and retries sends a duplicate.
    var now = policy.get();
    int status = statusFor(now, event);
    ObjectNode body;
    if (status / 100 != 2) {
      log.countRejected();
      body = error("simulated " + status);
    } else if (log.accept(event)) {
      onNewEvent.accept(event);
      body = JSON.createObjectNode().put("status", "accepted");
    } else {
      body = JSON.createObjectNode().put("status", "duplicate");
    }
    if (now.delay().isZero()) {
      answer(ctx, status, body);
    } else {
      vertx.setTimer(now.delay().toMillis(), timer -> answer(ctx, status, body));
    }
  }

  /** A rule that throws answers 500, as an ERP with a bug would, and is counted as rejected. */
  private static int statusFor(ResponsePolicy policy, ErpEvent event) {
    try {
      return policy.statusFor(event);
    } catch (RuntimeException e) {
      LOG.warn("the response rule failed on event {}: {}", event.id(), e.toString());
      return 500;
    }
  }

  private static ErpEvent parse(RoutingContext ctx, long receivedNanos, Instant receivedAt)
      throws InvalidRequest {
    String contentType = ctx.request().getHeader(HttpHeaders.CONTENT_TYPE);
    if (contentType == null
        || !contentType.split(";")[0].trim().equalsIgnoreCase(CLOUDEVENTS_JSON)) {
      throw new InvalidRequest(
          415, "Content-Type must be " + CLOUDEVENTS_JSON + ", not " + contentType);
    }
    String key = ctx.request().getHeader("Idempotency-Key");
    if (key == null || key.isBlank()) {
      throw new InvalidRequest(400, "no Idempotency-Key header");
    }
    JsonNode body;
    try {
      body = JSON.readTree(ctx.body().buffer().getBytes());
    } catch (JsonProcessingException e) {
      throw new InvalidRequest(400, "the body is not JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new InvalidRequest(400, "the body cannot be read: " + e.getMessage());
    }
    if (body == null || !body.isObject()) {
      throw new InvalidRequest(400, "the body is not a JSON object");
    }
    if (!body.path("specversion").asText().equals("1.0")) {
      throw new InvalidRequest(400, "specversion must be \"1.0\"");
    }
    for (String attribute : REQUIRED_ATTRIBUTES) {
      if (body.path(attribute).asText().isEmpty()) {
        throw new InvalidRequest(400, "the CloudEvent has no " + attribute);
      }
    }
    return new ErpEvent(key, body.get("type").asText(), body, receivedNanos, receivedAt);
  }

  private void list(RoutingContext ctx) {
    String type = ctx.request().getParam("type");
    var items = JSON.createArrayNode();
    for (var event : log.events()) {
      if (type == null || type.equals(event.type())) {
        items
            .addObject()
            .put("key", event.key())
            .put("type", event.type())
            .put("receivedAt", event.receivedAt().toString())
            .set("event", event.body());
      }
    }
    answer(ctx, 200, items);
  }

  private static ObjectNode error(String message) {
    return JSON.createObjectNode().put("error", message);
  }

  static void answer(RoutingContext ctx, int status, JsonNode body) {
    if (ctx.response().closed()) {
      return;
    }
    ctx.response()
        .setStatusCode(status)
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .end(body.toString());
  }

  private static final class InvalidRequest extends Exception {
    private final int status;

    InvalidRequest(int status, String message) {
      super(message);
      this.status = status;
    }
  }
}
