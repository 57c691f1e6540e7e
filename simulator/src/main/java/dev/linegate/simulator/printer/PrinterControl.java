package dev.linegate.simulator.printer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.linegate.simulator.ControlPort;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * The printer's control API, for tests in other processes and for demos:
 *
 * <ul>
 *   <li>{@code GET /labels}: the printed labels as JSON; {@code DELETE /labels} forgets them
 *   <li>{@code GET /status}: fault, labels remaining, connected
 *   <li>{@code POST /fault/{paper-out|head-open|ribbon-out|pause|none}}
 *   <li>{@code POST /speed?labelsPerSecond=N} (0: instant)
 *   <li>{@code POST /disconnect}, {@code POST /connect}: power off and on
 * </ul>
 */
final class PrinterControl {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Vertx vertx;
  private final SimulatedPrinter printer;

  PrinterControl(Vertx vertx, SimulatedPrinter printer) {
    this.vertx = vertx;
    this.printer = printer;
  }

  Router router() {
    var router = Router.router(vertx);
    router.get("/labels").handler(ctx -> ControlPort.answer(ctx, 200, printer.labels()));
    router
        .delete("/labels")
        .handler(
            ctx -> {
              printer.clearLabels();
              ControlPort.answer(ctx, 200, status());
            });
    router.get("/status").handler(ctx -> ControlPort.answer(ctx, 200, status()));
    router.post("/fault/:fault").handler(this::fault);
    router.post("/speed").handler(this::speed);
    router
        .post("/disconnect")
        .blockingHandler(
            ctx -> {
              printer.disconnect();
              ControlPort.answer(ctx, 200, status());
            });
    router
        .post("/connect")
        .blockingHandler(
            ctx -> {
              printer.connect();
              ControlPort.answer(ctx, 200, status());
            });
    return router;
  }

  private void fault(RoutingContext ctx) {
    try {
      printer.fault(PrinterFault.fromSlug(ctx.pathParam("fault")));
      ControlPort.answer(ctx, 200, status());
    } catch (IllegalArgumentException e) {
      ControlPort.answer(ctx, 400, JSON.createObjectNode().put("error", e.getMessage()));
    }
  }

  private void speed(RoutingContext ctx) {
    String value = ctx.queryParams().get("labelsPerSecond");
    try {
      printer.speed(Double.parseDouble(value == null ? "" : value));
      ControlPort.answer(ctx, 200, status());
    } catch (IllegalArgumentException e) {
      ControlPort.answer(
          ctx,
          400,
          JSON.createObjectNode()
              .put("error", "labelsPerSecond must be a number >= 0, not '" + value + "'"));
    }
  }

  private ObjectNode status() {
    return JSON.createObjectNode()
        .put("fault", printer.fault().slug())
        .put("labelsRemaining", printer.labelsRemaining())
        .put("labelsPrinted", printer.labels().size())
        .put("connected", printer.connected());
  }
}
