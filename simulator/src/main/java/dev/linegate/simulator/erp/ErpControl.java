package dev.linegate.simulator.erp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.io.IOException;
import java.time.Duration;
import java.util.function.Predicate;

/**
 * {@code POST /control/mode} with {@code {"mode": "normal|refuse|slow|status", "status": 503,
 * "delayMs": 500, "batchId": "..."}}: switches the ERP's behaviour from outside its process. It is
 * served on its own port, because "refuse" closes the ERP's main port. Each mode starts from
 * normal. {@code POST /control/epcis} with {@code {"status": 503, "maxEvents": 100, "jobError":
 * "...", "jobPolls": 3}} does the same for the EPCIS capture interface.
 */
final class ErpControl {
  private final Vertx vertx;
  private final SimulatedErp erp;

  ErpControl(Vertx vertx, SimulatedErp erp) {
    this.vertx = vertx;
    this.erp = erp;
  }

  Router router() {
    var router = Router.router(vertx);
    // Blocking: refusing and accepting connections wait for the main port to close or open.
    router.post("/control/mode").handler(BodyHandler.create(false)).blockingHandler(this::mode);
    router.post("/control/epcis").handler(BodyHandler.create(false)).handler(this::epcis);
    return router;
  }

  private void mode(RoutingContext ctx) {
    JsonNode request = body(ctx);
    String mode = request.path("mode").asText();
    switch (mode) {
      case "normal" -> erp.behaveNormally();
      case "refuse" -> {
        erp.behaveNormally();
        erp.refuseConnections();
      }
      case "slow" -> {
        erp.behaveNormally();
        erp.respondSlowly(Duration.ofMillis(request.path("delayMs").asLong(1_000)));
      }
      case "status" -> {
        erp.behaveNormally();
        erp.respondWith(request.path("status").asInt(503), selection(request.path("batchId")));
      }
      default -> {
        ErpApi.answer(
            ctx,
            400,
            ErpApi.JSON
                .createObjectNode()
                .put("error", "mode must be normal, refuse, slow or status, not '" + mode + "'"));
        return;
      }
    }
    ErpApi.answer(ctx, 200, request);
  }

  /**
   * {@code {"status": 503}}: answers EPCISDocuments with it (202: normally again); {@code
   * {"maxEvents": 100}}: 413 for a larger document.
   */
  private void epcis(RoutingContext ctx) {
    JsonNode request = body(ctx);
    if (request.has("status")) {
      erp.respondToEpcisWith(request.get("status").asInt());
    }
    if (request.has("maxEvents")) {
      erp.limitEpcisEvents(request.get("maxEvents").asInt());
    }
    if (request.has("jobError")) {
      JsonNode error = request.get("jobError");
      erp.failEpcisCaptureJobs(error.isNull() ? null : error.asText());
    }
    if (request.has("jobPolls")) {
      erp.runEpcisCaptureJobsFor(request.get("jobPolls").asInt());
    }
    ErpApi.answer(ctx, 200, request);
  }

  private static JsonNode body(RoutingContext ctx) {
    var buffer = ctx.body().buffer();
    try {
      return buffer == null ? MissingNode.getInstance() : ErpApi.JSON.readTree(buffer.getBytes());
    } catch (IOException e) {
      return MissingNode.getInstance();
    }
  }

  private static Predicate<ErpEvent> selection(JsonNode batchId) {
    return batchId.isMissingNode()
        ? event -> true
        : event -> event.data().path("batchId").asText().equals(batchId.asText());
  }
}
