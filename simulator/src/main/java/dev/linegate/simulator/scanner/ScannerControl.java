package dev.linegate.simulator.scanner;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.linegate.simulator.ControlPort;
import dev.linegate.simulator.printer.PrintedLabel;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.function.Supplier;

/**
 * The scanner's control API, for tests in other processes and for demos:
 *
 * <ul>
 *   <li>{@code POST /scan}, the body is the code (ISO-8859-1; GS as byte 0x1D), optional {@code
 *       ?aim=]C1} naming its symbology: sends it as one scan
 *   <li>{@code POST /garbage}: a scan of random bytes
 *   <li>{@code POST /scan-back?printer=http://host:port&noRead=0.05&misread=0.01}: reads back what
 *       the simulated printer there lists on {@code GET /labels}; answers one result per label
 * </ul>
 *
 * A scan while the cable is out answers 503.
 */
final class ScannerControl {
  private static final ObjectMapper JSON =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
  private static final Duration PRINTER_TIMEOUT = Duration.ofSeconds(5);

  private final Vertx vertx;
  private final SimulatedScanner scanner;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(PRINTER_TIMEOUT).build();

  ScannerControl(Vertx vertx, SimulatedScanner scanner) {
    this.vertx = vertx;
    this.scanner = scanner;
  }

  Router router() {
    var router = Router.router(vertx);
    router.post("/scan").handler(BodyHandler.create(false)).blockingHandler(this::scan);
    router.post("/garbage").blockingHandler(this::garbage);
    router.post("/scan-back").blockingHandler(this::scanBack);
    return router;
  }

  private void scan(RoutingContext ctx) {
    var body = ctx.body().buffer();
    String code = body == null ? "" : body.toString(StandardCharsets.ISO_8859_1);
    if (code.isEmpty()) {
      ControlPort.answer(ctx, 400, error("the body must be the code to scan"));
      return;
    }
    String aim = ctx.queryParams().get("aim");
    sending(
        ctx,
        () ->
            JSON.createObjectNode()
                .put("sent", aim == null ? scanner.scan(code) : scanner.scanAs(aim, code)));
  }

  private void garbage(RoutingContext ctx) {
    sending(
        ctx,
        () ->
            JSON.createObjectNode()
                .put("sentBase64", Base64.getEncoder().encodeToString(scanner.garbage())));
  }

  private void scanBack(RoutingContext ctx) {
    String printer = ctx.queryParams().get("printer");
    ReadRates rates;
    try {
      rates = new ReadRates(rate(ctx, "noRead"), rate(ctx, "misread"));
      if (printer == null || !printer.matches("https?://[^/]+/?")) {
        throw new IllegalArgumentException(
            "printer must be the simulated printer's control address, http://host:port, not '"
                + printer
                + "'");
      }
    } catch (IllegalArgumentException e) {
      ControlPort.answer(ctx, 400, error(e.getMessage()));
      return;
    }
    List<PrintedLabel> labels;
    try {
      labels = labels(URI.create(printer.replaceAll("/$", "") + "/labels"));
    } catch (IOException e) {
      // A refused connection has no message, only its type.
      String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      ControlPort.answer(ctx, 502, error("cannot get the labels from " + printer + ": " + why));
      return;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      ControlPort.answer(ctx, 503, error("interrupted"));
      return;
    }
    sending(
        ctx,
        () -> {
          ArrayNode results = JSON.createArrayNode();
          for (ScanBack result : scanner.scanBack(labels, rates)) {
            results
                .addObject()
                .put("labelSequence", result.labelSequence())
                .put("outcome", result.outcome().name())
                .put("printed", result.printed().orElse(null))
                .put("sent", result.sent().orElse(null));
          }
          return results;
        });
  }

  private List<PrintedLabel> labels(URI uri) throws IOException, InterruptedException {
    HttpResponse<byte[]> response =
        http.send(
            HttpRequest.newBuilder(uri).timeout(PRINTER_TIMEOUT).GET().build(),
            HttpResponse.BodyHandlers.ofByteArray());
    if (response.statusCode() != 200) {
      throw new IOException("GET " + uri + " answered " + response.statusCode());
    }
    return List.of(JSON.readValue(response.body(), PrintedLabel[].class));
  }

  private static double rate(RoutingContext ctx, String name) {
    String value = ctx.queryParams().get(name);
    if (value == null) {
      return 0;
    }
    try {
      return Double.parseDouble(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          name + " must be a number from 0 to 1, not '" + value + "'", e);
    }
  }

  /** Runs a send; the cable being out is the client's 503, not a crash. */
  private void sending(RoutingContext ctx, Supplier<Object> send) {
    try {
      ControlPort.answer(ctx, 200, send.get());
    } catch (IllegalStateException e) {
      ControlPort.answer(ctx, 503, error(e.getMessage()));
    }
  }

  private static ObjectNode error(String message) {
    return JSON.createObjectNode().put("error", message);
  }
}
