package dev.linegate.gateway.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.linegate.gateway.auth.AccessDenied;
import dev.linegate.gateway.station.ScanResult;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * Live updates for the operator UI as server-sent events ({@code GET /api/live}): scans as they are
 * judged, and hints that lots, printers or the outbox changed. A screen that cannot keep up loses
 * events rather than making the gateway buffer them; it catches up from the API. A stream lasts no
 * longer than its reader's right to read: at each heartbeat the session or token is checked again,
 * and a user disabled, logged out or expired, or a token revoked, gets {@code event: ended} and the
 * end of the stream.
 */
public final class LiveFeed {

  private static final String ADDRESS = "linegate.live";

  /** Also how soon a reader who may no longer read loses the stream. */
  private static final long MAX_HEARTBEAT_MS = 15_000;

  private final Vertx vertx;
  private final long heartbeatMs;

  /**
   * {@code idleTimeout}: the HTTP server's ({@code gateway.http.idleTimeoutSeconds}); the feed
   * speaks at least twice within it, so that a quiet line does not get an open screen cut off, and
   * at least every 15 s.
   */
  public LiveFeed(Vertx vertx, Duration idleTimeout) {
    this.vertx = vertx;
    this.heartbeatMs = Math.min(idleTimeout.dividedBy(2).toMillis(), MAX_HEARTBEAT_MS);
  }

  /** From any thread. */
  public void publish(String event, ObjectNode data) {
    vertx
        .eventBus()
        .publish(ADDRESS, new JsonObject().put("event", event).put("data", data.toString()));
  }

  /** A scan as it is judged, from any thread. */
  public void scan(ScanResult scan) {
    publish("scan", ScanJson.of(scan));
  }

  /** {@code stillAllowed}: fails with {@link AccessDenied} once the reader may no longer read. */
  void stream(RoutingContext ctx, Supplier<Future<?>> stillAllowed) {
    HttpServerResponse response = ctx.response();
    response
        .setChunked(true)
        .putHeader("Content-Type", "text/event-stream")
        .putHeader("Cache-Control", "no-cache")
        .putHeader("Connection", "keep-alive");
    response.write(": connected\n\n");
    MessageConsumer<JsonObject> consumer =
        vertx
            .eventBus()
            .consumer(
                ADDRESS,
                message -> {
                  if (!response.ended() && !response.writeQueueFull()) {
                    response.write(
                        "event: "
                            + message.body().getString("event")
                            + "\ndata: "
                            + message.body().getString("data")
                            + "\n\n");
                  }
                });
    // Only one check at a time: a busy API must not pile them up.
    AtomicBoolean checking = new AtomicBoolean();
    long heartbeat =
        vertx.setPeriodic(
            heartbeatMs,
            id -> {
              // Proxies and browsers close an event stream that stays silent too long: the ping
              // goes first, whatever the check takes.
              if (response.ended() || response.writeQueueFull()) {
                return;
              }
              response.write(": ping\n\n");
              if (!checking.compareAndSet(false, true)) {
                return;
              }
              stillAllowed
                  .get()
                  .onComplete(
                      checked -> {
                        checking.set(false);
                        // Not known now (the API busy): the next heartbeat asks again.
                        if (checked.failed() && checked.cause() instanceof AccessDenied denied) {
                          consumer.unregister();
                          vertx.cancelTimer(id);
                          if (!response.ended()) {
                            response.end(
                                "event: ended\ndata: "
                                    + new JsonObject().put("reason", denied.getMessage())
                                    + "\n\n");
                          }
                        }
                      });
            });
    Runnable stop =
        () -> {
          consumer.unregister();
          vertx.cancelTimer(heartbeat);
        };
    response.closeHandler(closed -> stop.run());
    response.exceptionHandler(failure -> stop.run());
  }
}
