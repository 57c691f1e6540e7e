package dev.linegate.simulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.UncheckedIOException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** The HTTP control port of a simulated device: how scripts and tests drive it from outside. */
public final class ControlPort {

  private static final long TIMEOUT_SECONDS = 10;
  private static final ObjectMapper JSON = new ObjectMapper();

  private ControlPort() {}

  /** Serves {@code router} on {@code host:port} (0: any free port); returns the port. */
  public static int listen(Vertx vertx, Router router, String device, String host, int port) {
    try {
      return vertx
          .createHttpServer()
          .requestHandler(router)
          .listen(port, host)
          .toCompletionStage()
          .toCompletableFuture()
          .get(TIMEOUT_SECONDS, TimeUnit.SECONDS)
          .actualPort();
    } catch (ExecutionException e) {
      throw new IllegalStateException(
          device + " control port " + host + ":" + port + ": " + e.getCause().getMessage(), e);
    } catch (TimeoutException e) {
      throw new IllegalStateException(device + " control port " + port + ": no answer", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** Answers with {@code body} as JSON. */
  public static void answer(RoutingContext ctx, int status, Object body) {
    try {
      ctx.response()
          .setStatusCode(status)
          .putHeader("content-type", "application/json")
          .end(JSON.writeValueAsString(body));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
