package dev.linegate.gateway.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.linegate.connectors.tls.TlsException;
import dev.linegate.gateway.config.GatewayConfig.HttpConfig;
import dev.linegate.gateway.config.LineConfig;
import dev.linegate.gateway.lots.LotStatus;
import dev.linegate.gateway.lots.LotStatusChanges;
import dev.linegate.gateway.outbox.Outbox;
import dev.linegate.gateway.outbox.OutboxDispatcher;
import dev.linegate.gateway.printing.LabelActions;
import dev.linegate.gateway.printing.Printers;
import dev.linegate.gateway.printing.UncertainLabels;
import dev.linegate.gateway.rejects.RejectLog;
import dev.linegate.gateway.station.ScanLog;
import dev.linegate.gateway.station.Stations;
import dev.linegate.gateway.station.UnverifiedLabel;
import dev.linegate.gateway.store.Page;
import dev.linegate.gateway.store.Query;
import dev.linegate.gateway.store.ReadPool;
import dev.linegate.gateway.store.Refused;
import dev.linegate.gateway.traceability.LotQueries;
import dev.linegate.gateway.traceability.SerialRef;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.StaticHandler;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP API (SPEC section 6). Handlers never block the event loop: every database read runs on
 * one of the API's workers ({@link ApiWork}), on one of the API's own read connections, so no
 * client can take those of the printers and the outbox. {@link HttpLimits} bounds what a client can
 * make the server hold.
 *
 * <p>Long because it is the one table of routes of SPEC section 6, each a few lines that hand over
 * to the feature that answers: split, a reader would look in several places for which path does
 * what.
 */
public final class ApiServer {

  private static final Logger log = LoggerFactory.getLogger(ApiServer.class);
  private static final int MAX_LIMIT = 1000;

  private final Vertx vertx;
  private final ApiWork work;
  private final HttpLimits limits = new HttpLimits();
  private final ReadPool reads;
  private final OutboxDispatcher dispatcher;
  private final HealthReport health;
  private final PrometheusMeterRegistry metrics;
  private final LabelActions labels;
  private final Printers printers;
  private final LotStatusChanges lotStatus;
  private final Stations stations;
  private final LiveFeed live;
  private final String lines;

  public ApiServer(
      Vertx vertx,
      ReadPool reads,
      OutboxDispatcher dispatcher,
      LabelActions labels,
      Printers printers,
      LotStatusChanges lotStatus,
      Stations stations,
      LiveFeed live,
      List<LineConfig> lines,
      HealthReport health,
      PrometheusMeterRegistry metrics) {
    this.vertx = vertx;
    this.work = new ApiWork(vertx, reads.size());
    this.reads = reads;
    this.dispatcher = dispatcher;
    this.health = health;
    this.metrics = metrics;
    this.labels = labels;
    this.printers = printers;
    this.lotStatus = lotStatus;
    this.stations = stations;
    this.live = live;
    this.lines = LinesJson.of(lines).toString();
  }

  /** Serves the API on {@code http}'s address; with its {@code tls}, HTTPS only. */
  public Future<HttpServer> listen(HttpConfig http) {
    HttpServerOptions options = limits.options(http.host(), http.port());
    if (http.tls().isPresent()) {
      try {
        options
            .setSsl(true)
            .setKeyCertOptions(KeyCertOptions.wrap(http.tls().get().keyManagerFactory()));
      } catch (TlsException e) {
        return Future.failedFuture(new IOException("gateway.http.tls: " + e.getMessage(), e));
      }
    }
    Router router = Router.router(vertx);
    router.route("/api/*").handler(ApiServer::wellFormedQuery);
    // The type first, on a route of its own: nothing of a body that is refused is read. No upload
    // is ever stored.
    router.post("/api/*").handler(ApiServer::jsonOnly);
    router.post("/api/*").handler(BodyHandler.create(false).setBodyLimit(HttpLimits.BODY_LIMIT));
    router
        .get("/api/lines")
        .handler(ctx -> ctx.response().putHeader("Content-Type", "application/json").end(lines));
    router
        .get("/api/lots")
        .handler(
            ctx ->
                read(
                    ctx,
                    c ->
                        LotQueries.lots(
                            c,
                            param(ctx, "line"),
                            param(ctx, "product"),
                            limit(ctx),
                            cursor(ctx, "before")),
                    page -> PageJson.of(page, LotJson::lot)));
    router
        .get("/api/lots/:lot")
        .handler(
            ctx ->
                read(
                    ctx,
                    c ->
                        LotQueries.lot(c, ctx.pathParam("lot"))
                            .orElseThrow(() -> notFound("lot", ctx.pathParam("lot"))),
                    LotJson::detail));
    router
        .get("/api/lots/:lot/serials")
        .handler(
            ctx ->
                read(
                    ctx,
                    c ->
                        LotQueries.serialsOfLot(
                                c,
                                ctx.pathParam("lot"),
                                param(ctx, "status"),
                                limit(ctx),
                                cursor(ctx, "after"))
                            .orElseThrow(() -> notFound("lot", ctx.pathParam("lot"))),
                    page -> PageJson.of(page, LotJson::serialOfLot)));
    router
        .post("/api/lots/:lot/hold")
        .handler(ctx -> respond(ctx, () -> changeLotStatus(ctx, LotStatus.ON_HOLD)));
    router
        .post("/api/lots/:lot/release")
        .handler(ctx -> respond(ctx, () -> changeLotStatus(ctx, LotStatus.RELEASED)));
    router
        .post("/api/lots/:lot/recall")
        .handler(ctx -> respond(ctx, () -> changeLotStatus(ctx, LotStatus.RECALLED)));
    router
        .get("/api/serials/:serial")
        .handler(
            ctx ->
                read(
                    ctx,
                    c ->
                        one(
                            LotQueries.serial(c, ctx.pathParam("serial"), param(ctx, "gtin")),
                            ctx.pathParam("serial")),
                    LotJson::serial));
    router.post("/api/serials/:serial/reprint").handler(ctx -> respond(ctx, () -> reprint(ctx)));
    router
        .get("/api/labels/uncertain")
        .handler(
            ctx ->
                read(
                    ctx,
                    c -> UncertainLabels.open(c, limit(ctx), cursor(ctx, "after")),
                    page -> PageJson.of(page, LabelJson::uncertain)));
    router.post("/api/labels/uncertain/:id/settle").handler(ctx -> respond(ctx, () -> settle(ctx)));
    router.get("/api/labels/:serial/preview.png").handler(this::preview);
    router
        .get("/api/labels/unverified")
        .handler(
            ctx ->
                read(
                    ctx,
                    c -> unverified(ctx, c),
                    page -> PageJson.of(page, LabelJson::unverified)));
    router
        .get("/api/scans")
        .handler(
            ctx ->
                read(
                    ctx,
                    c ->
                        ScanLog.list(
                            c,
                            param(ctx, "line"),
                            param(ctx, "scanner"),
                            limit(ctx),
                            cursor(ctx, "before")),
                    page -> PageJson.of(page, ScanJson::of)));
    router.get("/api/live").handler(live::stream);
    router.get("/").handler(ctx -> ctx.reroute("/ui/index.html"));
    router.get("/ui/*").handler(StaticHandler.create("ui"));
    router
        .get("/api/rejects")
        .handler(
            ctx ->
                read(
                    ctx,
                    c -> RejectLog.list(c, limit(ctx), cursor(ctx, "before")),
                    page -> PageJson.of(page, RejectJson::of)));
    router
        .get("/api/outbox")
        .handler(
            ctx ->
                read(
                    ctx,
                    c -> Outbox.list(c, outboxState(ctx), limit(ctx), cursor(ctx, "after")),
                    page -> PageJson.of(page, OutboxJson::of)));
    router
        .post("/api/printers/:id/failed-jobs/acknowledge")
        .handler(ctx -> respond(ctx, () -> acknowledgeFailedJobs(ctx)));
    router
        .post("/api/outbox/:id/retry")
        .handler(ctx -> respond(ctx, () -> retry(ctx.pathParam("id"))));
    router.get("/health").handler(this::health);
    router
        .get("/metrics")
        .handler(
            ctx ->
                ctx.response()
                    .putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
                    .end(metrics.scrape()));
    router
        .route()
        .last()
        .handler(
            ctx ->
                fail(
                    ctx,
                    new ApiError(
                        404,
                        "not found",
                        ctx.request().method()
                            + " "
                            + ctx.request().path()
                            + " is not part of the API")));
    router.route().failureHandler(ApiServer::failed);
    return vertx
        .createHttpServer(options)
        .connectionHandler(limits.connectionCap())
        .requestHandler(router)
        .listen();
  }

  private Page<UnverifiedLabel> unverified(RoutingContext ctx, Connection c) throws SQLException {
    String line =
        param(ctx, "line")
            .orElseThrow(() -> new ApiError(400, "missing line", "say which line: ?line=L1"));
    Instant cutoff =
        stations
            .unverifiedCutoff(line, Instant.now())
            .orElseThrow(
                () -> new ApiError(404, "no station", "line " + line + " has no scanner station"));
    return ScanLog.unverified(c, line, cutoff, limit(ctx), cursor(ctx, "after"));
  }

  /** A query string that cannot be decoded is the client's mistake, and said as such. */
  private static void wellFormedQuery(RoutingContext ctx) {
    try {
      ctx.request().params();
    } catch (IllegalArgumentException e) {
      fail(
          ctx,
          new ApiError(
              400,
              "bad query",
              "the query string is not valid URL encoding: a % must be followed by two hex digits (%25 for % itself)"));
      return;
    }
    ctx.next();
  }

  /**
   * What Vert.x's own handlers refused (a body over the limit, a path it cannot decode), or a
   * handler threw.
   */
  private static void failed(RoutingContext ctx) {
    if (ctx.failure() != null) {
      fail(ctx, ctx.failure());
    } else if (ctx.statusCode() == 413) {
      // Vert.x would read the rest of the body, however long, to keep the connection: it goes
      // instead.
      ctx.response().putHeader("Connection", "close");
      fail(
              ctx,
              new ApiError(
                  413,
                  "body too large",
                  "a request body may be at most " + HttpLimits.BODY_LIMIT / 1024 + " KiB of JSON"))
          .onComplete(answered -> ctx.request().connection().close());
    } else {
      HttpResponseStatus status =
          HttpResponseStatus.valueOf(ctx.statusCode() > 0 ? ctx.statusCode() : 500);
      fail(
          ctx,
          new ApiError(
              status.code(),
              status.reasonPhrase().toLowerCase(Locale.ROOT),
              ctx.request().method() + " " + ctx.request().path()));
    }
  }

  /**
   * Changes come as JSON only. There is no login on the shop floor, so this is what keeps a web
   * page elsewhere from posting a form to the gateway: a browser sends JSON to another site only
   * after a CORS preflight, which the gateway never allows.
   */
  private static void jsonOnly(RoutingContext ctx) {
    String type = String.valueOf(ctx.request().getHeader("Content-Type"));
    if (type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
      ctx.next();
    } else {
      fail(
          ctx,
          new ApiError(
              415, "JSON only", "send Content-Type: application/json (an empty body is {})"));
    }
  }

  private void health(RoutingContext ctx) {
    ObjectNode report = health.toJson();
    int status = "UP".equals(report.get("status").asText()) ? 200 : 503;
    ctx.response()
        .setStatusCode(status)
        .putHeader("Content-Type", "application/json")
        .end(report.toString());
  }

  /** The one serial with this number, or why there is not exactly one. */
  private static <T> T one(List<T> found, String serial) {
    if (found.isEmpty()) {
      throw notFound("serial", serial);
    }
    if (found.size() > 1) {
      throw new ApiError(
          409,
          "ambiguous serial",
          "serial " + serial + " exists under " + found.size() + " GTINs; add ?gtin=");
    }
    return found.get(0);
  }

  private JsonNode reprint(RoutingContext ctx) throws Exception {
    JsonObject body = body(ctx);
    String reason =
        requiredText(body, "reason", "why the label is printed again, e.g. \"label damaged\"");
    String by = requiredText(body, "by", "who asks for the reprint");
    return LabelJson.reprint(
        refusalsAsErrors(
            () -> labels.reprint(ctx.pathParam("serial"), param(ctx, "gtin"), reason, by)));
  }

  private JsonNode acknowledgeFailedJobs(RoutingContext ctx) throws Exception {
    String by = requiredText(body(ctx), "by", "who has dealt with the labels of the failed jobs");
    String printer = ctx.pathParam("id");
    int acknowledged =
        printers
            .acknowledgeFailedJobs(printer, by)
            .orElseThrow(() -> notFound("printer", printer))
            .get(30, TimeUnit.SECONDS);
    return JsonNodeFactory.instance
        .objectNode()
        .put("printer", printer)
        .put("acknowledged", acknowledged);
  }

  private JsonNode changeLotStatus(RoutingContext ctx, LotStatus to) throws Exception {
    JsonObject body = body(ctx);
    String reason =
        requiredText(
            body, "reason", "why the lot becomes " + to.text() + ", e.g. \"deviation DEV-042\"");
    String by = requiredText(body, "by", "who changes the lot's status");
    return LotJson.statusChange(
        refusalsAsErrors(() -> lotStatus.change(ctx.pathParam("lot"), to, reason, by)));
  }

  private JsonNode settle(RoutingContext ctx) throws Exception {
    JsonObject body = body(ctx);
    if (!(body.getValue("printed") instanceof Boolean printed)) {
      throw new ApiError(
          400,
          "missing printed",
          "say {\"printed\": true} if the label came out of the printer, false to print it again");
    }
    String by = requiredText(body, "by", "who settles the label");
    return LabelJson.settled(
        refusalsAsErrors(() -> labels.settle(parseId(ctx.pathParam("id")), printed, by)));
  }

  private void preview(RoutingContext ctx) {
    work.run(
            () -> {
              SerialRef serial =
                  one(
                      reads.read(
                          c -> SerialRef.find(c, ctx.pathParam("serial"), param(ctx, "gtin"))),
                      ctx.pathParam("serial"));
              return reads.read(c -> labels.preview(c, serial));
            })
        .onSuccess(
            png -> ctx.response().putHeader("Content-Type", "image/png").end(Buffer.buffer(png)))
        .onFailure(failure -> fail(ctx, failure));
  }

  /** The body as a JSON object; an empty body is {}. */
  private static JsonObject body(RoutingContext ctx) {
    Buffer raw = ctx.body().buffer();
    Object value;
    try {
      value = raw == null || raw.length() == 0 ? null : Json.decodeValue(raw);
    } catch (DecodeException e) {
      throw new ApiError(
          400,
          "bad body",
          "the body is not valid JSON; send an object such as {\"reason\": \"...\", \"by\": \"...\"}");
    }
    if (value == null) {
      return new JsonObject();
    }
    if (value instanceof JsonObject object) {
      return object;
    }
    throw new ApiError(
        400,
        "bad body",
        "the body must be a JSON object {...}, not "
            + (value instanceof JsonArray
                ? "an array"
                : value instanceof String ? "a string" : "a single value"));
  }

  private static String requiredText(JsonObject body, String field, String what) {
    if (!(body.getValue(field) instanceof String text) || text.isBlank()) {
      throw new ApiError(400, "missing " + field, "\"" + field + "\" is required: " + what);
    }
    return text;
  }

  private static <T> T refusalsAsErrors(Callable<T> action) throws Exception {
    try {
      return action.call();
    } catch (Refused refused) {
      throw asError(refused);
    }
  }

  private static ApiError asError(Refused refused) {
    return new ApiError(
        refused.kind() == Refused.Kind.NOT_FOUND ? 404 : 409,
        refused.getMessage(),
        refused.detail());
  }

  private JsonNode retry(String idText) throws Exception {
    long id = parseId(idText);
    Optional<Boolean> released = dispatcher.retry(id);
    if (released.isEmpty()) {
      throw notFound("outbox event", idText);
    }
    if (!released.get()) {
      throw new ApiError(
          409,
          "not a dead letter",
          "outbox event " + id + " is not dead; only dead letters can be retried");
    }
    ObjectNode answer = JsonNodeFactory.instance.objectNode();
    answer.put("id", id);
    answer.put("state", "pending");
    return answer;
  }

  /** The answer's JSON is built after the read, so the connection goes back to the pool first. */
  private <T> void read(RoutingContext ctx, Query<T> query, Function<T, ? extends JsonNode> json) {
    respond(ctx, () -> json.apply(reads.read(query)));
  }

  private void respond(RoutingContext ctx, Callable<JsonNode> action) {
    work.run(action)
        .onSuccess(
            body ->
                ctx.response().putHeader("Content-Type", "application/json").end(body.toString()))
        .onFailure(failure -> fail(ctx, failure));
  }

  /**
   * An answer other than success. An internal error says nothing of its cause (an exception's text
   * can name files, queries, hosts): the log has it, under the id the answer gives.
   */
  private static Future<Void> fail(RoutingContext ctx, Throwable failure) {
    ApiError error;
    if (failure instanceof ApiError api) {
      error = api;
    } else if (failure instanceof ReadPool.Busy) {
      error = ApiWork.busy();
    } else {
      String id = String.format("%08x", ThreadLocalRandom.current().nextInt());
      log.error(
          "{} {} failed (error {})", ctx.request().method(), ctx.request().path(), id, failure);
      error =
          new ApiError(
              500,
              "internal error",
              "the gateway could not answer; its log has the cause under error " + id);
    }
    if (error.status() == 503) {
      ctx.response().putHeader("Retry-After", "1");
    }
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.put("error", error.getMessage());
    body.put("detail", error.detail());
    return ctx.response()
        .setStatusCode(error.status())
        .putHeader("Content-Type", "application/json")
        .end(body.toString());
  }

  private static ApiError notFound(String what, String key) {
    return new ApiError(404, what + " not found", "no " + what + " " + key);
  }

  private static Optional<String> param(RoutingContext ctx, String name) {
    return Optional.ofNullable(ctx.request().getParam(name)).filter(v -> !v.isBlank());
  }

  private static int limit(RoutingContext ctx) {
    Optional<String> limit = param(ctx, "limit");
    if (limit.isEmpty()) {
      return 100;
    }
    try {
      int value = Integer.parseInt(limit.get());
      if (value >= 1 && value <= MAX_LIMIT) {
        return value;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw new ApiError(
        400,
        "bad limit",
        "limit must be a whole number from 1 to " + MAX_LIMIT + ", not " + limit.get());
  }

  private static Optional<Long> cursor(RoutingContext ctx, String name) {
    return param(ctx, name).map(ApiServer::parseId);
  }

  private static long parseId(String text) {
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw new ApiError(400, "bad id", "\"" + text + "\" is not a number");
    }
  }

  private static String outboxState(RoutingContext ctx) {
    String state = param(ctx, "state").orElse("pending");
    if (!state.equals("pending") && !state.equals("dead")) {
      throw new ApiError(400, "bad state", "state must be pending or dead, not " + state);
    }
    return state;
  }
}
