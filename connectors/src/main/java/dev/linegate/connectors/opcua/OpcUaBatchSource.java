package dev.linegate.connectors.opcua;

import dev.linegate.connectors.ConnectorStatus;
import dev.linegate.connectors.ConnectorStatus.State;
import dev.linegate.connectors.batch.BatchSignal;
import dev.linegate.connectors.batch.BatchSource;
import java.util.function.Consumer;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.jspecify.annotations.Nullable;

/**
 * A line's Ready/Ack handshake over OPC UA (SPEC section 3), on a session shared with the other
 * lines of the same PLC. Wires the line's parts: {@link LineSession} (nodes and subscription on
 * each session), {@link Handshake} (the steps), {@link LineStatus} (what /health and the metrics
 * show), all run one step at a time on the line's own {@link LineThread}; the OPC UA calls on it
 * block (bounded by the request timeout), so no two of them overlap.
 */
public final class OpcUaBatchSource implements BatchSource {

  private final OpcUaSourceConfig config;
  private final OpcUaEndpoint endpoint;
  private final Runnable release;
  private final LineThread thread;
  private final LineStatus status;
  private final Handshake handshake;
  private final LineSession session;
  private final OpcUaEndpoint.Listener sessions =
      new OpcUaEndpoint.Listener() {
        @Override
        public void connected(OpcUaClient client) {
          thread.run(() -> session.connected(client));
        }

        @Override
        public void disconnected() {
          thread.run(session::disconnected);
        }
      };
  private volatile boolean closed;

  OpcUaBatchSource(OpcUaSourceConfig config, OpcUaEndpoint endpoint, Runnable release) {
    this.config = config;
    this.endpoint = endpoint;
    this.release = release;
    this.thread = new LineThread(config.line(), config.reconnect(), this::stepFailed);
    this.status = new LineStatus(config.line());
    this.handshake = new Handshake(config, thread, status, this::connection);
    this.session = new LineSession(config, endpoint, thread, status, handshake);
  }

  @Override
  public String kind() {
    return "opcua";
  }

  @Override
  public String id() {
    return config.line();
  }

  @Override
  public String line() {
    return config.line();
  }

  @Override
  public void start(Consumer<BatchSignal> sink) {
    thread.run(
        () -> {
          handshake.start(sink);
          endpoint.addListener(sessions);
        });
    thread.every(Math.max(50, config.watchdogTimeout().toMillis() / 4), session::watchdog);
  }

  /**
   * The session's state with the line's: UP only when the session is up and the line is subscribed;
   * the detail says what the handshake is doing and the line's last error.
   */
  @Override
  public ConnectorStatus status() {
    ConnectorStatus shared = endpoint.status();
    OpcUaLineState line = status.state();
    State overall = shared.state();
    if (closed) {
      overall = State.STOPPED;
    } else if (overall == State.UP && line.phase() == OpcUaLineState.Phase.CONNECTING) {
      overall = line.lastError().isPresent() ? State.DOWN : State.CONNECTING;
    }
    return new ConnectorStatus(
        "opcua:" + config.line(),
        overall,
        shared.detail() + "; line " + config.line() + ": " + line.describe(),
        shared.since(),
        shared.reconnects());
  }

  /** The line's handshake alone. */
  public OpcUaLineState lineState() {
    return status.state();
  }

  /** Batches acknowledged to the PLC (Lot and Ack written) since the source was made. */
  public long acknowledgedBatches() {
    return status.acknowledged();
  }

  /** Whatever a step on the line's thread threw: the handshake starts over after its backoff. */
  private void stepFailed(Throwable failure) {
    handshake.failed(failure);
  }

  /** For the handshake, which is made before the session it reads. */
  private @Nullable LineConnection connection() {
    return session.connection();
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    handshake.close();
    endpoint.removeListener(sessions);
    thread.run(
        () -> {
          handshake.cancelRetry();
          session.close();
        });
    try {
      thread.close();
    } finally {
      release.run();
    }
  }
}
