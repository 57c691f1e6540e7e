package dev.linegate.simulator.l4;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.linegate.simulator.VertxAwait;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A serial number provider, the L4 side of SPEC section 8, shared by any number of gateways: it
 * owns each GTIN's number space and never issues a serial twice. The same {@code requestId} always
 * answers the same serials, page by page; a {@code cap} per GTIN makes fills partial ({@code
 * insufficient}). It records which gateway got each serial, so that a test can prove that no serial
 * went to two. Faults can be switched at any time (not from a Vert.x event loop): refuse
 * connections, answer slowly, answer with a status, answer garbage.
 */
public final class SimulatedL4 implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** How it answers now. */
  public enum Mode {
    NORMAL,
    SLOW,
    STATUS,
    GARBAGE
  }

  /** A request as first asked: its serials, cut into pages, and whose they are. */
  private record Issued(String gateway, String gtin, List<List<String>> pages, boolean filled) {}

  private final Vertx vertx = Vertx.vertx();
  private final String host;
  private final int pageSize;
  private final Map<String, Issued> requests = new HashMap<>();
  private final Map<String, ObjectNode> returns = new HashMap<>();
  private final Map<String, Long> counters = new HashMap<>();
  private final Map<String, Long> caps = new ConcurrentHashMap<>();
  private final Map<String, Long> issuedPerGtin = new HashMap<>();

  /** "gtin/serial" to the gateway it went to; returned serials stay here, never issued again. */
  private final Map<String, String> owners = new ConcurrentHashMap<>();

  /** "gtin/serial" of every serial given back. */
  private final Set<String> returned = ConcurrentHashMap.newKeySet();

  private volatile Mode mode = Mode.NORMAL;
  private volatile int status = 503;
  private volatile Duration delay = Duration.ZERO;
  private volatile int port;
  private HttpServer server;

  private SimulatedL4(String host, int pageSize) {
    this.host = host;
    this.pageSize = pageSize;
  }

  /** Listens on {@code host}; port 0 picks a free one. */
  public static SimulatedL4 start(String host, int port, int pageSize) {
    SimulatedL4 l4 = new SimulatedL4(host, pageSize);
    try {
      l4.listen(port);
    } catch (RuntimeException e) {
      l4.close();
      throw e;
    }
    return l4;
  }

  public static SimulatedL4 start(int port) {
    return start("127.0.0.1", port, 5_000);
  }

  /** What a gateway's {@code serialProviders[].url} holds. */
  public String url() {
    return "http://"
        + (host.equals("0.0.0.0") ? "127.0.0.1" : host)
        + ":"
        + port
        + "/api/serial-numbers";
  }

  /** At most {@code cap} serials of this GTIN in all, whoever asks: later fills are partial. */
  public void cap(String gtin, long cap) {
    caps.put(gtin, cap);
  }

  public void uncap(String gtin) {
    caps.remove(gtin);
  }

  public void respondWith(int status) {
    this.status = status;
    mode = Mode.STATUS;
  }

  public void respondSlowly(Duration delay) {
    this.delay = delay;
    mode = Mode.SLOW;
  }

  public void respondWithGarbage() {
    mode = Mode.GARBAGE;
  }

  public void behaveNormally() {
    mode = Mode.NORMAL;
    acceptConnections();
  }

  public synchronized void refuseConnections() {
    if (server != null) {
      await(server.close(), "closing");
      server = null;
    }
  }

  public synchronized void acceptConnections() {
    if (server == null) {
      listen(port);
    }
  }

  /** Every serial given back, as "gtin/serial". */
  public Set<String> returned() {
    return Set.copyOf(returned);
  }

  /** Every serial issued, as "gtin/serial", with the gateway it went to. */
  public Map<String, String> owners() {
    return Map.copyOf(owners);
  }

  private synchronized void listen(int wanted) {
    Router router = Router.router(vertx);
    router.route().handler(BodyHandler.create(false).setBodyLimit(1 << 20));
    router
        .post("/api/serial-numbers/requests")
        .handler(ctx -> answer(ctx, () -> request(body(ctx))));
    router
        .post("/api/serial-numbers/requests/:id/next")
        .handler(ctx -> answer(ctx, () -> next(ctx.pathParam("id"), body(ctx))));
    router
        .post("/api/serial-numbers/returns")
        .handler(ctx -> answer(ctx, () -> giveBack(body(ctx))));
    server = await(vertx.createHttpServer().requestHandler(router).listen(wanted, host), "listen");
    port = server.actualPort();
  }

  @FunctionalInterface
  private interface Answer {
    JsonNode get() throws IOException, Refusal;
  }

  private static final class Refusal extends Exception {
    final int status;

    Refusal(int status, String message) {
      super(message);
      this.status = status;
    }
  }

  private void answer(RoutingContext ctx, Answer answer) {
    Runnable respond =
        () -> {
          switch (mode) {
            case STATUS -> ctx.response().setStatusCode(status).end("{\"error\":\"down\"}");
            case GARBAGE ->
                ctx.response().putHeader("Content-Type", "application/json").end("{\"serials\": [");
            default -> {
              try {
                JsonNode body;
                synchronized (this) {
                  body = answer.get();
                }
                ctx.response().putHeader("Content-Type", "application/json").end(body.toString());
              } catch (Refusal r) {
                ctx.response()
                    .setStatusCode(r.status)
                    .putHeader("Content-Type", "application/json")
                    .end(JSON.createObjectNode().put("error", r.getMessage()).toString());
              } catch (IOException e) {
                ctx.response().setStatusCode(400).end("{\"error\":\"bad JSON\"}");
              }
            }
          }
        };
    if (mode == Mode.SLOW) {
      vertx.setTimer(Math.max(1, delay.toMillis()), id -> respond.run());
    } else {
      respond.run();
    }
  }

  private static JsonNode body(RoutingContext ctx) throws IOException {
    return JSON.readTree(ctx.body().asString());
  }

  private JsonNode request(JsonNode body) throws Refusal {
    String requestId = text(body, "requestId");
    String gateway = text(body, "gateway");
    String gtin = text(body, "gtin");
    long count = body.path("count").asLong(0);
    int length = body.path("format").path("length").asInt(0);
    String alphabet = body.path("format").path("alphabet").asText("numeric");
    if (count < 1 || length < 1 || length > 20) {
      throw new Refusal(400, "count and format.length (1 to 20) are required");
    }
    Issued issued = requests.get(requestId);
    if (issued == null) {
      issued = issue(gateway, gtin, count, length, alphabet);
      requests.put(requestId, issued);
    } else if (!issued.gateway().equals(gateway) || !issued.gtin().equals(gtin)) {
      throw new Refusal(409, "request " + requestId + " was made by another gateway or GTIN");
    }
    return page(requestId, issued, 0);
  }

  private JsonNode next(String requestId, JsonNode body) throws Refusal {
    Issued issued = requests.get(requestId);
    if (issued == null) {
      throw new Refusal(404, "no request " + requestId);
    }
    String token = text(body, "token");
    String prefix = requestId + ":";
    int page;
    try {
      page = token.startsWith(prefix) ? Integer.parseInt(token.substring(prefix.length())) : -1;
    } catch (NumberFormatException e) {
      page = -1;
    }
    if (page < 1 || page >= issued.pages().size()) {
      throw new Refusal(400, "token " + token + " is not one of request " + requestId);
    }
    return page(requestId, issued, page);
  }

  private JsonNode giveBack(JsonNode body) throws Refusal {
    String returnId = text(body, "returnId");
    ObjectNode known = returns.get(returnId);
    if (known != null) {
      return known;
    }
    String gateway = text(body, "gateway");
    String gtin = text(body, "gtin");
    int returned = 0;
    ArrayNode unknown = JSON.createArrayNode();
    for (JsonNode serial : body.path("serials")) {
      if (gateway.equals(owners.get(gtin + "/" + serial.asText()))) {
        this.returned.add(gtin + "/" + serial.asText());
        returned++;
      } else {
        unknown.add(serial.asText());
      }
    }
    ObjectNode answer = JSON.createObjectNode().put("returnId", returnId).put("returned", returned);
    answer.set("unknown", unknown);
    returns.put(returnId, answer);
    return answer;
  }

  private Issued issue(String gateway, String gtin, long count, int length, String alphabet) {
    long cap = caps.getOrDefault(gtin, Long.MAX_VALUE);
    long already = issuedPerGtin.getOrDefault(gtin, 0L);
    long granted = Math.max(0, Math.min(count, cap - already));
    int radix = alphabet.equals("alphanumeric") ? 36 : 10;
    String key = gtin + "/" + length + "/" + radix;
    long next = counters.getOrDefault(key, 0L);
    List<List<String>> pages = new ArrayList<>();
    List<String> page = new ArrayList<>();
    for (long i = 0; i < granted; i++) {
      String serial = pad(Long.toString(++next, radix).toUpperCase(), length);
      owners.put(gtin + "/" + serial, gateway);
      page.add(serial);
      if (page.size() == pageSize) {
        pages.add(page);
        page = new ArrayList<>();
      }
    }
    if (!page.isEmpty() || pages.isEmpty()) {
      pages.add(page);
    }
    counters.put(key, next);
    issuedPerGtin.put(gtin, already + granted);
    return new Issued(gateway, gtin, pages, granted == count);
  }

  private static ObjectNode page(String requestId, Issued issued, int index) {
    ObjectNode answer = JSON.createObjectNode();
    answer.put("requestId", requestId);
    answer.put("gtin", issued.gtin());
    ArrayNode serials = answer.putArray("serials");
    issued.pages().get(index).forEach(serials::add);
    answer.put("status", issued.filled() ? "ok" : "insufficient");
    boolean last = index == issued.pages().size() - 1;
    answer.put("next", last ? null : requestId + ":" + (index + 1));
    return answer;
  }

  private static String pad(String digits, int length) {
    return digits.length() >= length ? digits : "0".repeat(length - digits.length()) + digits;
  }

  private static String text(JsonNode body, String field) throws Refusal {
    String text = body.path(field).asText("");
    if (text.isBlank()) {
      throw new Refusal(400, field + " is required");
    }
    return text;
  }

  @Override
  public void close() {
    await(vertx.close(), "closing");
  }

  private static <T> T await(Future<T> future, String what) {
    return VertxAwait.result(future, "L4", what);
  }
}
