package dev.linegate.gateway.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.linegate.connectors.tls.TlsException;
import dev.linegate.gateway.auth.Access;
import dev.linegate.gateway.auth.AccessDenied;
import dev.linegate.gateway.auth.Actor;
import dev.linegate.gateway.auth.AuditTrail;
import dev.linegate.gateway.auth.Meaning;
import dev.linegate.gateway.auth.Permission;
import dev.linegate.gateway.auth.Principal;
import dev.linegate.gateway.config.GatewayConfig.HttpConfig;
import dev.linegate.gateway.config.LineConfig;
import dev.linegate.gateway.config.ProductConfig;
import dev.linegate.gateway.config.StationConfig;
import dev.linegate.gateway.lots.LotClosing;
import dev.linegate.gateway.lots.LotStatus;
import dev.linegate.gateway.lots.LotStatusChanges;
import dev.linegate.gateway.lots.Reconciliation;
import dev.linegate.gateway.lots.SerialChanges;
import dev.linegate.gateway.lots.SerialFate;
import dev.linegate.gateway.outbox.Outbox;
import dev.linegate.gateway.outbox.Outputs;
import dev.linegate.gateway.packing.Level;
import dev.linegate.gateway.packing.Packing;
import dev.linegate.gateway.packing.PackingViews;
import dev.linegate.gateway.pools.SerialPools;
import dev.linegate.gateway.printing.LabelActions;
import dev.linegate.gateway.printing.Printers;
import dev.linegate.gateway.printing.UncertainLabels;
import dev.linegate.gateway.rejects.RejectLog;
import dev.linegate.gateway.station.ScanLog;
import dev.linegate.gateway.station.ScrapMode;
import dev.linegate.gateway.station.Stations;
import dev.linegate.gateway.station.UnverifiedLabel;
import dev.linegate.gateway.store.Page;
import dev.linegate.gateway.store.Query;
import dev.linegate.gateway.store.ReadPool;
import dev.linegate.gateway.store.Refused;
import dev.linegate.gateway.traceability.LotQueries;
import dev.linegate.gateway.traceability.SerialRef;
import dev.linegate.gateway.traceability.SerialView;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpMethod;
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
import java.util.Map;
import java.util.Optional;
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
  static final String SESSION_COOKIE = "linegate_session";

  private final Vertx vertx;
  private final ApiWork work;
  private final HttpLimits limits = new HttpLimits();
  private final ReadPool reads;
  private final Outputs outputs;
  private final HealthReport health;
  private final PrometheusMeterRegistry metrics;
  private final LabelActions labels;
  private final Printers printers;
  private final LotStatusChanges lotStatus;
  private final SerialChanges serialChanges;
  private final LotClosing closing;
  private final Stations stations;
  private final Packing packing;
  private final Map<String, ProductConfig> products;
  private final LiveFeed live;
  private final JsonNode lines;
  private final Access access;
  private final SerialPools pools;
  private final boolean protectMetrics;
  // Set by listen: the cookie is Secure, and a page's Origin https://, under TLS.
  private boolean tls;

  /** What a route does once its caller is known and allowed. */
  @FunctionalInterface
  private interface Action {
    JsonNode run(Principal who) throws Exception;
  }

  public ApiServer(
      Vertx vertx,
      ReadPool reads,
      Outputs outputs,
      LabelActions labels,
      Printers printers,
      LotStatusChanges lotStatus,
      SerialChanges serialChanges,
      LotClosing closing,
      Stations stations,
      Packing packing,
      Map<String, ProductConfig> products,
      LiveFeed live,
      List<LineConfig> lines,
      HealthReport health,
      PrometheusMeterRegistry metrics,
      Access access,
      SerialPools pools,
      boolean protectMetrics) {
    this.vertx = vertx;
    this.work = new ApiWork(vertx, reads.size());
    this.reads = reads;
    this.outputs = outputs;
    this.health = health;
    this.metrics = metrics;
    this.labels = labels;
    this.printers = printers;
    this.lotStatus = lotStatus;
    this.serialChanges = serialChanges;
    this.closing = closing;
    this.stations = stations;
    this.packing = packing;
    this.products = products;
    this.live = live;
    this.lines = LinesJson.of(lines);
    this.access = access;
    this.pools = pools;
    this.protectMetrics = protectMetrics;
  }

  /** Serves the API on {@code http}'s address; with its {@code tls}, HTTPS only. */
  public Future<HttpServer> listen(HttpConfig http) {
    HttpServerOptions options = limits.options(http.host(), http.port(), http.idleTimeout());
    tls = http.tls().isPresent();
    if (tls) {
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
    router.post("/api/session").handler(this::login);
    router.get("/api/session").handler(ctx -> respond(ctx, Permission.READ, AccountJson::session));
    router.delete("/api/session").handler(this::logout);
    router
        .post("/api/session/password")
        .handler(
            ctx ->
                respond(
                    ctx,
                    Permission.READ,
                    who -> {
                      JsonObject body = body(ctx);
                      access.changeOwnPassword(
                          who,
                          requiredText(body, "current", "your password now"),
                          requiredText(body, "password", "the new password"),
                          address(ctx));
                      return JsonNodeFactory.instance
                          .objectNode()
                          .put("user", who.name())
                          .put("password", "changed; log in again with it");
                    }));
    router.get("/api/lines").handler(ctx -> respond(ctx, Permission.READ, who -> lines));
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
                    c -> {
                      ObjectNode json =
                          LotJson.detail(
                              LotQueries.lot(c, ctx.pathParam("lot"))
                                  .orElseThrow(() -> notFound("lot", ctx.pathParam("lot"))));
                      PackingViews.casesOfLot(c, ctx.pathParam("lot"), json);
                      return json;
                    },
                    json -> json));
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
        .handler(
            ctx ->
                respond(
                    ctx,
                    Permission.SUPERVISE,
                    who -> changeLotStatus(ctx, LotStatus.ON_HOLD, who)));
    router
        .post("/api/lots/:lot/release")
        .handler(
            ctx ->
                respond(
                    ctx,
                    Permission.SUPERVISE,
                    who -> changeLotStatus(ctx, LotStatus.RELEASED, who)));
    router
        .post("/api/lots/:lot/recall")
        .handler(
            ctx ->
                respond(
                    ctx,
                    Permission.SUPERVISE,
                    who -> changeLotStatus(ctx, LotStatus.RECALLED, who)));
    router
        .get("/api/serials/:serial")
        .handler(
            ctx ->
                read(
                    ctx,
                    c -> {
                      SerialView serial =
                          one(
                              LotQueries.serial(c, ctx.pathParam("serial"), param(ctx, "gtin")),
                              ctx.pathParam("serial"));
                      ObjectNode json = LotJson.serial(serial);
                      PackingViews.placement(c, serial.ref().id(), json);
                      return json;
                    },
                    json -> json));
    router
        .post("/api/serials/:serial/reprint")
        .handler(ctx -> respond(ctx, Permission.LABELS, who -> reprint(ctx, who)));
    // SPEC section 9: an operator scraps a damaged label; sampling and voiding are decisions.
    router
        .post("/api/serials/:serial/scrap")
        .handler(
            ctx ->
                respond(ctx, Permission.LABELS, who -> changeSerial(ctx, SerialFate.SCRAP, who)));
    router
        .post("/api/serials/:serial/sample")
        .handler(
            ctx ->
                respond(
                    ctx, Permission.SUPERVISE, who -> changeSerial(ctx, SerialFate.SAMPLE, who)));
    router
        .post("/api/serials/:serial/void")
        .handler(
            ctx ->
                respond(ctx, Permission.SUPERVISE, who -> changeSerial(ctx, SerialFate.VOID, who)));
    router
        .get("/api/lots/:lot/reconciliation")
        .handler(
            ctx ->
                read(
                    ctx,
                    c ->
                        closing
                            .reconcile(c, ctx.pathParam("lot"))
                            .orElseThrow(() -> notFound("lot", ctx.pathParam("lot"))),
                    LotJson::reconciliation));
    router
        .post("/api/lots/:lot/close")
        .handler(ctx -> respond(ctx, Permission.SUPERVISE, who -> closeLot(ctx, who)));
    router
        .get("/api/labels/uncertain")
        .handler(
            ctx ->
                read(
                    ctx,
                    c -> UncertainLabels.open(c, limit(ctx), cursor(ctx, "after")),
                    page -> PageJson.of(page, LabelJson::uncertain)));
    router
        .post("/api/labels/uncertain/:id/settle")
        .handler(ctx -> respond(ctx, Permission.SUPERVISE, who -> settle(ctx, who)));
    router
        .get("/api/labels/:serial/preview.png")
        .handler(ctx -> afterAccess(ctx, Permission.READ, this::preview));
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
    // SPEC section 10: packing stations, cases and pallets.
    router
        .get("/api/stations")
        .handler(
            ctx ->
                respond(
                    ctx,
                    Permission.READ,
                    who -> {
                      ArrayNode list = JsonNodeFactory.instance.arrayNode();
                      for (Stations.Station station : stations.list()) {
                        list.addObject()
                            .put("id", station.id())
                            .put("line", station.line())
                            .put("scanner", station.scanner())
                            .put("role", station.role())
                            .put(
                                "scrapMode",
                                stations.scrapMode().of(station.scanner()).isPresent());
                      }
                      return JsonNodeFactory.instance.objectNode().set("items", list);
                    }));
    router
        .get("/api/stations/:id")
        .handler(
            ctx ->
                read(
                    ctx,
                    c -> {
                      String id = ctx.pathParam("id");
                      String scanner =
                          stations.scannerOf(id).orElseThrow(() -> notFound("station", id));
                      Optional<StationConfig> packingStation = packing.station(id);
                      ObjectNode json =
                          packingStation.isPresent()
                              ? PackingViews.station(c, packingStation.get(), products)
                              : JsonNodeFactory.instance
                                  .objectNode()
                                  .put("id", id)
                                  .put("line", stations.lineOf(scanner).orElse(null))
                                  .put("scanner", scanner)
                                  .put("role", "verifying");
                      Optional<ScrapMode.Mode> scrap = stations.scrapMode().of(scanner);
                      if (scrap.isPresent()) {
                        json.putObject("scrapMode")
                            .put("by", scrap.get().by().name())
                            .put("reason", scrap.get().reason())
                            .put("since", scrap.get().since().toString());
                      } else {
                        json.putNull("scrapMode");
                      }
                      ArrayNode scans = json.putArray("scans");
                      ScanLog.list(c, Optional.empty(), Optional.of(scanner), 20, Optional.empty())
                          .items()
                          .forEach(scan -> scans.add(ScanJson.of(scan)));
                      return json;
                    },
                    json -> json));
    router
        .post("/api/stations/:id/close-case")
        .handler(
            ctx -> respond(ctx, Permission.LABELS, who -> closeContainer(ctx, Level.CASE, who)));
    router
        .post("/api/stations/:id/close-pallet")
        .handler(
            ctx -> respond(ctx, Permission.LABELS, who -> closeContainer(ctx, Level.PALLET, who)));
    // SPEC section 9 at the station: the labels scanned while it is on are scrapped.
    router
        .post("/api/stations/:id/scrap-mode")
        .handler(ctx -> respond(ctx, Permission.LABELS, who -> scrapMode(ctx, who, true)));
    router
        .delete("/api/stations/:id/scrap-mode")
        .handler(ctx -> respond(ctx, Permission.LABELS, who -> scrapMode(ctx, who, false)));
    router
        .get("/api/cases/:sscc")
        .handler(
            ctx ->
                read(
                    ctx,
                    c ->
                        PackingViews.container(c, ctx.pathParam("sscc"))
                            .orElseThrow(() -> notFound("case or pallet", ctx.pathParam("sscc"))),
                    json -> json));
    router
        .post("/api/cases/:sscc/unpack")
        .handler(ctx -> respond(ctx, Permission.LABELS, who -> unpack(ctx, who)));
    router
        .get("/api/live")
        .handler(
            ctx ->
                afterAccess(
                    ctx,
                    Permission.READ,
                    c -> live.stream(c, () -> work.run(() -> allowed(c, Permission.READ)))));
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
                    c ->
                        Outbox.list(
                            c,
                            outboxOutput(ctx),
                            outboxState(ctx),
                            limit(ctx),
                            cursor(ctx, "after")),
                    page -> PageJson.of(page, OutboxJson::of)));
    router
        .post("/api/printers/:id/failed-jobs/acknowledge")
        .handler(ctx -> respond(ctx, Permission.LABELS, who -> acknowledgeFailedJobs(ctx, who)));
    router
        .post("/api/outbox/:id/retry")
        .handler(
            ctx ->
                respond(
                    ctx, Permission.RETRY_DEAD_LETTERS, who -> retry(ctx.pathParam("id"), who)));
    router
        .get("/api/audit")
        .handler(
            ctx ->
                read(
                    ctx,
                    c -> AuditTrail.list(c, limit(ctx), cursor(ctx, "before")),
                    page -> PageJson.of(page, AccountJson::audit)));
    accounts(router);
    router
        .get("/api/pools")
        .handler(
            ctx ->
                respond(
                    ctx,
                    Permission.READ,
                    who -> PageJson.whole(pools.statuses(), HealthReport::pool)));
    router
        .post("/api/pools/:gtin/return")
        .handler(
            ctx ->
                respond(
                    ctx,
                    Permission.SUPERVISE,
                    who -> {
                      String reason =
                          requiredText(
                              body(ctx),
                              "reason",
                              "why the serials go back, e.g. \"product moved to edge-02\"");
                      int returned =
                          pools
                              .giveBack(ctx.pathParam("gtin"), reason, who.actor())
                              .orElseThrow(() -> notFound("pool", ctx.pathParam("gtin")));
                      return JsonNodeFactory.instance
                          .objectNode()
                          .put("gtin", ctx.pathParam("gtin"))
                          .put("returning", returned)
                          .put("state", "suspended");
                    }));
    router
        .post("/api/pools/:gtin/resume")
        .handler(
            ctx ->
                respond(
                    ctx,
                    Permission.SUPERVISE,
                    who -> {
                      if (!pools.resume(ctx.pathParam("gtin"), who.actor())) {
                        throw notFound("pool", ctx.pathParam("gtin"));
                      }
                      return JsonNodeFactory.instance
                          .objectNode()
                          .put("gtin", ctx.pathParam("gtin"))
                          .put("state", "refilling");
                    }));
    router.get("/health").handler(ctx -> openOr(ctx, this::health));
    router
        .get("/metrics")
        .handler(
            ctx ->
                openOr(
                    ctx,
                    open ->
                        open.response()
                            .putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
                            .end(metrics.scrape())));
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

  /** Users and tokens, for admins (SPEC section 11). */
  private void accounts(Router router) {
    router
        .get("/api/users")
        .handler(
            ctx ->
                respond(
                    ctx,
                    Permission.ADMINISTER,
                    who -> PageJson.whole(access.users(), AccountJson::user)));
    router
        .post("/api/users")
        .handler(
            ctx ->
                respond(
                    ctx,
                    Permission.ADMINISTER,
                    who -> {
                      JsonObject body = body(ctx);
                      return AccountJson.user(
                          access.addUser(
                              who.actor(),
                              requiredText(body, "name", "the new user's name"),
                              requiredText(
                                  body, "role", "one of viewer, operator, supervisor, admin"),
                              requiredText(body, "password", "the new user's password")));
                    }));
    router
        .post("/api/users/:name/disable")
        .handler(
            ctx ->
                respond(
                    ctx,
                    Permission.ADMINISTER,
                    who -> AccountJson.user(access.disable(who.actor(), ctx.pathParam("name")))));
    router
        .post("/api/users/:name/password")
        .handler(
            ctx ->
                respond(
                    ctx,
                    Permission.ADMINISTER,
                    who -> {
                      String password = requiredText(body(ctx), "password", "the new password");
                      access.setPassword(who.actor(), ctx.pathParam("name"), password);
                      return JsonNodeFactory.instance
                          .objectNode()
                          .put("name", ctx.pathParam("name"))
                          .put("password", "changed; the user's sessions are ended");
                    }));
    router
        .get("/api/tokens")
        .handler(
            ctx ->
                respond(
                    ctx,
                    Permission.ADMINISTER,
                    who -> PageJson.whole(access.tokens(), AccountJson::token)));
    router
        .post("/api/tokens")
        .handler(
            ctx ->
                respond(
                    ctx,
                    Permission.ADMINISTER,
                    who -> {
                      JsonObject body = body(ctx);
                      return AccountJson.created(
                          access.createToken(
                              who.actor(),
                              requiredText(body, "name", "what the token is for, e.g. erp-bridge"),
                              requiredText(
                                  body, "role", "integrator, or viewer, operator, supervisor")));
                    }));
    router
        .delete("/api/tokens/:id")
        .handler(
            ctx ->
                respond(
                    ctx,
                    Permission.ADMINISTER,
                    who ->
                        AccountJson.token(
                            access.revokeToken(who.actor(), parseId(ctx.pathParam("id"))))));
  }

  private void login(RoutingContext ctx) {
    work.run(
            () -> {
              // No cookie yet, but a login from another site's page would log this screen in as
              // someone else.
              Optional<String> origin = Optional.ofNullable(ctx.request().getHeader("Origin"));
              if (origin.isPresent() && !ownOrigin(ctx, origin.get())) {
                throw foreignOrigin(origin.get());
              }
              JsonObject body = body(ctx);
              String user = requiredText(body, "user", "the user name");
              String password = requiredText(body, "password", "the user's password");
              return access.login(user, password, address(ctx));
            })
        .onSuccess(
            session -> {
              ctx.response()
                  .addCookie(sessionCookie(session.secret(), access.sessionLength().toSeconds()));
              ctx.response()
                  .putHeader("Content-Type", "application/json")
                  .end(
                      AccountJson.session(session.principal())
                          .put("expiresAt", session.expires().toString())
                          .toString());
            })
        .onFailure(failure -> fail(ctx, failure));
  }

  private void logout(RoutingContext ctx) {
    work.run(
            () -> {
              Principal who = authenticated(ctx);
              Cookie session = ctx.request().getCookie(SESSION_COOKIE);
              if (session == null) {
                throw new ApiError(
                    400,
                    "no session",
                    "a token has no session to end; an admin revokes it (DELETE /api/tokens/{id})");
              }
              access.logout(session.getValue(), who);
              return who;
            })
        .onSuccess(
            who -> {
              ctx.response().addCookie(sessionCookie("", 0));
              ctx.response()
                  .putHeader("Content-Type", "application/json")
                  .end(
                      JsonNodeFactory.instance
                          .objectNode()
                          .put("user", who.name())
                          .put("session", "ended")
                          .toString());
            })
        .onFailure(failure -> fail(ctx, failure));
  }

  private Cookie sessionCookie(String value, long maxAgeSeconds) {
    return Cookie.cookie(SESSION_COOKIE, value)
        .setPath("/")
        .setHttpOnly(true)
        .setSameSite(CookieSameSite.STRICT)
        .setSecure(tls)
        .setMaxAge(maxAgeSeconds);
  }

  /**
   * Who sent the request: the holder of its bearer token, or the user of its session cookie. A
   * change sent with the cookie must come from a page of this gateway: a browser adds the cookie to
   * whatever another page sends here, but it also names that page in Origin.
   */
  private Principal authenticated(RoutingContext ctx) throws Exception {
    String authorization = ctx.request().getHeader("Authorization");
    if (authorization != null) {
      if (!authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
        throw new AccessDenied(
            401, "bad credentials", "send Authorization: Bearer <token>, or log in");
      }
      return access
          .token(authorization.substring(7).trim())
          .orElseThrow(
              () -> new AccessDenied(401, "unknown token", "the token is unknown or revoked"));
    }
    Cookie session = ctx.request().getCookie(SESSION_COOKIE);
    if (session == null) {
      throw new AccessDenied(
          401,
          "login required",
          "log in (POST /api/session {\"user\", \"password\"}) or send Authorization: Bearer <token>;"
              + " a \"by\" field names nobody");
    }
    if (ctx.request().method() != HttpMethod.GET) {
      String origin = ctx.request().getHeader("Origin");
      if (origin == null || !ownOrigin(ctx, origin)) {
        throw foreignOrigin(String.valueOf(origin));
      }
    }
    return access
        .session(session.getValue())
        .orElseThrow(
            () ->
                new AccessDenied(
                    401, "session ended", "the session expired or ended; log in again"));
  }

  private Principal allowed(RoutingContext ctx, Permission needed) throws Exception {
    Principal who = authenticated(ctx);
    if (!who.role().may(needed)) {
      throw AccessDenied.notAllowed(who, needed.what());
    }
    return who;
  }

  /** The page's origin is this gateway as the browser reached it (scheme, host and port). */
  private boolean ownOrigin(RoutingContext ctx, String origin) {
    String host = ctx.request().getHeader("Host");
    return host != null && origin.equalsIgnoreCase((tls ? "https://" : "http://") + host);
  }

  private static AccessDenied foreignOrigin(String origin) {
    return new AccessDenied(
        403,
        "foreign origin",
        "a change must come from this gateway's own pages, not from Origin " + origin);
  }

  /** For handlers that answer by themselves (a stream, a picture): they run once allowed. */
  private void afterAccess(
      RoutingContext ctx, Permission needed, io.vertx.core.Handler<RoutingContext> handler) {
    work.run(() -> allowed(ctx, needed))
        .onSuccess(who -> handler.handle(ctx))
        .onFailure(failure -> fail(ctx, failure));
  }

  /** /health and /metrics: open to probes and scrapers unless auth.protectMetrics. */
  private void openOr(RoutingContext ctx, io.vertx.core.Handler<RoutingContext> handler) {
    if (protectMetrics) {
      afterAccess(ctx, Permission.READ, handler);
    } else {
      handler.handle(ctx);
    }
  }

  private static String address(RoutingContext ctx) {
    return ctx.request().remoteAddress() == null
        ? "an unknown address"
        : ctx.request().remoteAddress().hostAddress();
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
   * Changes come as JSON only: besides the Origin check, this keeps a web page elsewhere from
   * posting a form to the gateway, since a browser sends JSON to another site only after a CORS
   * preflight, which the gateway never allows.
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

  private JsonNode reprint(RoutingContext ctx, Principal who) throws Exception {
    JsonObject body = body(ctx);
    String reason =
        requiredText(body, "reason", "why the label is printed again, e.g. \"label damaged\"");
    return LabelJson.reprint(
        labels.reprint(ctx.pathParam("serial"), param(ctx, "gtin"), reason, who.actor()));
  }

  private JsonNode acknowledgeFailedJobs(RoutingContext ctx, Principal who) throws Exception {
    String printer = ctx.pathParam("id");
    int acknowledged =
        printers
            .acknowledgeFailedJobs(printer, who.actor())
            .orElseThrow(() -> notFound("printer", printer))
            .get(30, TimeUnit.SECONDS);
    return JsonNodeFactory.instance
        .objectNode()
        .put("printer", printer)
        .put("acknowledged", acknowledged);
  }

  private JsonNode changeSerial(RoutingContext ctx, SerialFate fate, Principal who)
      throws Exception {
    JsonObject body = body(ctx);
    String reason =
        requiredText(
            body, "reason", "why the serial is " + fate.status() + ", e.g. \"label torn\"");
    return SerialChanges.eventData(
        serialChanges.change(
            ctx.pathParam("serial"), param(ctx, "gtin"), fate, reason, who.actor()));
  }

  private JsonNode scrapMode(RoutingContext ctx, Principal who, boolean on) throws Exception {
    String id = ctx.pathParam("id");
    String scanner = stations.scannerOf(id).orElseThrow(() -> notFound("station", id));
    if (on) {
      String reason =
          requiredText(body(ctx), "reason", "why the labels scanned are scrapped, e.g. \"torn\"");
      stations.scrapMode().start(scanner, who.actor(), reason);
      log.info("Station {}: scrap mode on ({}), by {}", id, reason, who.actor().name());
    } else {
      stations.scrapMode().stop(scanner);
      log.info("Station {}: scrap mode off, by {}", id, who.actor().name());
    }
    live.publish("changed", JsonNodeFactory.instance.objectNode().put("what", "stations"));
    return JsonNodeFactory.instance.objectNode().put("station", id).put("scrapMode", on);
  }

  private JsonNode closeContainer(RoutingContext ctx, Level level, Principal who) throws Exception {
    String sscc = packing.close(ctx.pathParam("id"), level, who.actor());
    return reads.read(c -> PackingViews.container(c, sscc).orElseThrow());
  }

  private JsonNode unpack(RoutingContext ctx, Principal who) throws Exception {
    String reason =
        requiredText(body(ctx), "reason", "why it is unpacked, e.g. \"rework: wrong count\"");
    String sscc = ctx.pathParam("sscc");
    packing.unpack(sscc, reason, who.actor());
    return reads.read(c -> PackingViews.container(c, sscc).orElseThrow());
  }

  /**
   * Closes a lot on its counts; one that does not balance needs a supervisor's signature (and is
   * otherwise refused with 409 and the counts).
   */
  private JsonNode closeLot(RoutingContext ctx, Principal who) throws Exception {
    JsonObject body = body(ctx);
    Optional<String> reason =
        body.getValue("reason") instanceof String text && !text.isBlank()
            ? Optional.of(text)
            : Optional.empty();
    Actor by = body.containsKey("signature") ? signed(ctx, body, who, "close a lot") : who.actor();
    LotClosing.Outcome outcome = closing.close(ctx.pathParam("lot"), reason, by);
    if (outcome instanceof LotClosing.Outcome.Unbalanced unbalanced) {
      Reconciliation counts = unbalanced.counts();
      throw new ApiError(
          409,
          "lot not reconciled",
          "lot "
              + counts.lot()
              + " has "
              + counts.unaccounted()
              + " unaccounted serials and "
              + counts.uncertainLabels()
              + " uncertain labels: scan, scrap, sample or void them and settle the labels, or"
              + " close it with a supervisor's signature",
          Optional.of(LotJson.reconciliation(counts)));
    }
    return LotJson.reconciliation(outcome.counts());
  }

  private JsonNode changeLotStatus(RoutingContext ctx, LotStatus to, Principal who)
      throws Exception {
    JsonObject body = body(ctx);
    String reason =
        requiredText(
            body, "reason", "why the lot becomes " + to.text() + ", e.g. \"deviation DEV-042\"");
    Actor by = to.signed() ? signed(ctx, body, who, to.verb()) : who.actor();
    return LotJson.statusChange(lotStatus.change(ctx.pathParam("lot"), to, reason, by));
  }

  /**
   * The signer, once the body's signature is checked: their password again and a meaning (SPEC
   * section 11). Missing or malformed: 400; a wrong password: 403.
   */
  private Actor signed(RoutingContext ctx, JsonObject body, Principal who, String what)
      throws Exception {
    if (!(body.getValue("signature") instanceof JsonObject signature)) {
      throw new ApiError(
          400,
          "signature required",
          "to "
              + what
              + " is signed: add \"signature\": {\"password\": \"your password\", \"meaning\": \"approved\"}"
              + " (meaning: "
              + Meaning.choices()
              + ")");
    }
    String password = requiredText(signature, "password", "the signer's own password, again");
    String meaningText = requiredText(signature, "meaning", "one of " + Meaning.choices());
    Meaning meaning =
        Meaning.of(meaningText)
            .orElseThrow(
                () ->
                    new ApiError(
                        400,
                        "bad meaning",
                        "meaning must be one of " + Meaning.choices() + ", not " + meaningText));
    return access.sign(who, password, meaning, address(ctx));
  }

  private JsonNode settle(RoutingContext ctx, Principal who) throws Exception {
    JsonObject body = body(ctx);
    if (!(body.getValue("printed") instanceof Boolean printed)) {
      throw new ApiError(
          400,
          "missing printed",
          "say {\"printed\": true} if the label came out of the printer, false to print it again");
    }
    return LabelJson.settled(labels.settle(parseId(ctx.pathParam("id")), printed, who.actor()));
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

  private static ApiError asError(Refused refused) {
    int status =
        switch (refused.kind()) {
          case NOT_FOUND -> 404;
          case CONFLICT -> 409;
          case INVALID -> 400;
        };
    return new ApiError(status, refused.getMessage(), refused.detail());
  }

  private JsonNode retry(String idText, Principal who) throws Exception {
    long id = parseId(idText);
    outputs.retry(id, who.actor());
    ObjectNode answer = JsonNodeFactory.instance.objectNode();
    answer.put("id", id);
    answer.put("state", "pending");
    return answer;
  }

  /** The answer's JSON is built after the read, so the connection goes back to the pool first. */
  private <T> void read(RoutingContext ctx, Query<T> query, Function<T, ? extends JsonNode> json) {
    respond(ctx, Permission.READ, who -> json.apply(reads.read(query)));
  }

  /** Runs {@code action} on a worker once the caller is known and {@code needed} is theirs. */
  private void respond(RoutingContext ctx, Permission needed, Action action) {
    work.run(() -> action.run(allowed(ctx, needed)))
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
    } else if (failure instanceof AccessDenied denied) {
      error = new ApiError(denied.status(), denied.getMessage(), denied.detail());
      denied
          .retryAfter()
          .ifPresent(
              wait -> ctx.response().putHeader("Retry-After", Long.toString(wait.toSeconds())));
    } else if (failure instanceof Refused refused) {
      error = asError(refused);
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
    error.fields().ifPresent(body::setAll);
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

  /** {@code output=http|kafka|epcis}: one output's events; without it, all outputs'. */
  private Optional<String> outboxOutput(RoutingContext ctx) {
    Optional<String> output = param(ctx, "output");
    if (output.isPresent() && !outputs.names().contains(output.get())) {
      throw new ApiError(
          400,
          "bad output",
          "output must be one of " + String.join(", ", outputs.names()) + ", not " + output.get());
    }
    return output;
  }

  private static String outboxState(RoutingContext ctx) {
    String state = param(ctx, "state").orElse("pending");
    if (!state.equals("pending") && !state.equals("dead")) {
      throw new ApiError(400, "bad state", "state must be pending or dead, not " + state);
    }
    return state;
  }
}
