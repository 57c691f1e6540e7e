package dev.linegate.connectors.opcua;

import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.stack.core.NamespaceTable;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A line's part of the shared session: resolves its nodes on every (re)connect, keeps its
 * subscription to Ready alive (rebuilding it when it fails or falls silent), and tells the {@link
 * Handshake} when the handshake must be read. Runs on the line's thread.
 */
final class LineSession {

  private static final Logger log = LoggerFactory.getLogger(LineSession.class);

  private final OpcUaSourceConfig config;
  private final OpcUaEndpoint endpoint;
  private final LineThread thread;
  private final LineStatus status;
  private final Handshake handshake;
  private @Nullable LineConnection connection;

  LineSession(
      OpcUaSourceConfig config,
      OpcUaEndpoint endpoint,
      LineThread thread,
      LineStatus status,
      Handshake handshake) {
    this.config = config;
    this.endpoint = endpoint;
    this.thread = thread;
    this.status = status;
    this.handshake = handshake;
  }

  /** The session in use, set up or not; null while disconnected. */
  @Nullable LineConnection connection() {
    return connection;
  }

  void connected(OpcUaClient client) {
    LineConnection conn = new LineConnection(client);
    connection = conn;
    handshake.cancelRetry();
    if (setUp(conn)) {
      handshake.setUp(conn);
    }
  }

  void disconnected() {
    connection = null;
    handshake.disconnected();
  }

  /** Our own watchdog: a subscription that has gone silent is rebuilt, then the handshake read. */
  void watchdog() {
    LineConnection conn = connection;
    if (conn == null || conn.subscription == null) {
      return;
    }
    long silentMillis = conn.subscription.silentMillis();
    if (silentMillis > config.watchdogTimeout().toMillis()) {
      log.warn(
          "Line {}: no data and no keep-alive for {} ms; subscribing again",
          config.line(),
          silentMillis);
      if (resubscribe(conn)) {
        handshake.resync("silent subscription");
      }
    }
  }

  void close() {
    LineConnection conn = connection;
    connection = null;
    if (conn != null && conn.subscription != null) {
      conn.subscription.delete();
    }
  }

  /** Resolves the node ids against this session's namespace table and subscribes to Ready. */
  private boolean setUp(LineConnection conn) {
    try {
      NamespaceTable namespaces = conn.client.readNamespaceTable();
      conn.nodes =
          LineNodes.resolve(config.nodes(), namespaces)
              .orElseThrow(() -> new LineProblem(LineNodes.unresolved(config.nodes(), namespaces)));
      conn.subscription = subscribe(conn);
      thread.succeeded();
      return true;
    } catch (LineProblem e) {
      status.problem(e.getMessage());
      thread.schedule(
          () -> {
            if (connection == conn && conn.subscription == null && setUp(conn)) {
              handshake.setUp(conn);
            }
          },
          thread.backoffMillis());
      return false;
    } catch (Exception e) {
      status.problem("subscribing failed: " + OpcUaErrors.describe(e));
      endpoint.reconnect(
          conn.client,
          "line " + config.line() + " could not subscribe (" + OpcUaErrors.describe(e) + ")");
      return false;
    }
  }

  private ReadySubscription subscribe(LineConnection conn) throws UaException, LineProblem {
    var created = new ReadySubscription[1];
    ReadySubscription.Events events =
        new ReadySubscription.Events() {
          @Override
          public void changed() {
            thread.run(
                () -> {
                  if (current(conn, created[0])) {
                    handshake.resync("ready changed");
                  }
                });
          }

          @Override
          public void trouble(String why, boolean rebuild) {
            thread.run(() -> LineSession.this.trouble(conn, created[0], why, rebuild));
          }
        };
    created[0] =
        ReadySubscription.create(
            conn.client,
            conn.nodes().ready(),
            config.nodes().ready(),
            config.publishingInterval(),
            config.watchdogTimeout(),
            events);
    return created[0];
  }

  /** Events of a subscription that has since been replaced, or of an old session, are ignored. */
  private boolean current(LineConnection conn, ReadySubscription subscription) {
    return connection == conn && conn.subscription == subscription;
  }

  private void trouble(
      LineConnection conn, ReadySubscription subscription, String why, boolean rebuild) {
    if (!current(conn, subscription)) {
      return;
    }
    log.warn(
        "Line {}: {}; {}reading the handshake again",
        config.line(),
        why,
        rebuild ? "subscribing again and " : "");
    if (!rebuild || resubscribe(conn)) {
      handshake.resync(why);
    }
  }

  private boolean resubscribe(LineConnection conn) {
    ReadySubscription old = conn.subscription;
    conn.subscription = null;
    if (old != null) {
      old.delete();
    }
    try {
      conn.subscription = subscribe(conn);
      return true;
    } catch (LineProblem e) {
      status.problem(e.getMessage());
      endpoint.reconnect(conn.client, "line " + config.line() + ": " + e.getMessage());
      return false;
    } catch (Exception e) {
      status.problem("subscribing again failed: " + OpcUaErrors.describe(e));
      endpoint.reconnect(
          conn.client,
          "line " + config.line() + " could not subscribe again (" + OpcUaErrors.describe(e) + ")");
      return false;
    }
  }
}
