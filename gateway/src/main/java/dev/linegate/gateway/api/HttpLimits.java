package dev.linegate.gateway.api;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerOptions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a client on the plant network can make the HTTP server hold: a few connections, none of them
 * idle for long, and small bodies. The gateway runs for months; a script that leaks connections or
 * posts a file must not wear it down.
 */
final class HttpLimits {

  /** Enough for every screen and script of a plant; a leak or a flood ends here. */
  static final int MAX_CONNECTIONS = 128;

  /** The API takes small JSON bodies ({@code reason}, {@code by}). */
  static final int BODY_LIMIT = 64 * 1024;

  private static final Logger log = LoggerFactory.getLogger(HttpLimits.class);

  private final AtomicInteger open = new AtomicInteger();

  /**
   * {@code idleTimeout}: twice the live feed's heartbeat ({@link LiveFeed}), which keeps an open
   * screen's stream busy.
   */
  HttpServerOptions options(String host, int port, Duration idleTimeout) {
    return new HttpServerOptions()
        .setHost(host)
        .setPort(port)
        // HTTP/1.1 only: these limits are HTTP/1.1's, and a client that upgraded to cleartext
        // HTTP/2 (Java's HttpClient asks by default) could be cut off in a large answer.
        .setHttp2ClearTextEnabled(false)
        .setIdleTimeout((int) idleTimeout.toMillis())
        .setIdleTimeoutUnit(TimeUnit.MILLISECONDS);
  }

  /** Counts open connections and closes, at once, every one beyond {@link #MAX_CONNECTIONS}. */
  Handler<HttpConnection> connectionCap() {
    return connection -> {
      int now = open.incrementAndGet();
      connection.closeHandler(closed -> open.decrementAndGet());
      if (now > MAX_CONNECTIONS) {
        if (now == MAX_CONNECTIONS + 1) {
          log.warn(
              "HTTP: {} connections open, the most the gateway keeps; closing new ones from {} until some close",
              MAX_CONNECTIONS,
              connection.remoteAddress());
        }
        connection.close();
      }
    };
  }
}
