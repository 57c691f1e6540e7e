package dev.linegate.connectors.opcua;

import dev.linegate.connectors.ConnectorStatus;
import dev.linegate.connectors.ConnectorThread;
import dev.linegate.connectors.ConnectorStatus.State;
import dev.linegate.connectors.batch.BatchAcknowledgment;
import dev.linegate.connectors.batch.BatchSignal;
import dev.linegate.connectors.batch.BatchSource;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.stack.core.NamespaceTable;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.eclipse.milo.opcua.stack.core.types.enumerated.TimestampsToReturn;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A line's Ready/Ack handshake over OPC UA (SPEC section 3), on a session shared with the other
 * lines of the same PLC. The state of the handshake is read, not remembered: on every (re)connect,
 * after every change of Ready, and whenever the subscription may have missed something. A batch
 * handed to the gateway is acknowledged to the PLC (Lot, then Ack) only once it is committed.
 *
 * <p>Everything that touches the handshake runs on the line's own thread, one step at a time; the
 * OPC UA calls on it block (bounded by the request timeout), so no two of them overlap.
 */
public final class OpcUaBatchSource implements BatchSource {

  private static final Logger log = LoggerFactory.getLogger(OpcUaBatchSource.class);

  /** A session and what the line set up on it. */
  private static final class Connection {
    final OpcUaClient client;
    @Nullable LineNodes nodes;
    @Nullable ReadySubscription subscription;

    Connection(OpcUaClient client) {
      this.client = client;
    }
  }

  /** A batch handed to the gateway and not yet acknowledged to the PLC. */
  private static final class Delivery {
    final DataValue batchId;
    final String label;
    Optional<Optional<String>> answer = Optional.empty();

    Delivery(DataValue batchId, String label) {
      this.batchId = batchId;
      this.label = label;
    }
  }

  private final OpcUaSourceConfig config;
  private final OpcUaEndpoint endpoint;
  private final Runnable release;
  private final ScheduledExecutorService worker;
  private ScheduledFuture<?> poll;
  private final String origin;
  private final OpcUaEndpoint.Listener sessions =
      new OpcUaEndpoint.Listener() {
        @Override
        public void connected(OpcUaClient client) {
          run(() -> onConnected(client));
        }

        @Override
        public void disconnected() {
          run(OpcUaBatchSource.this::onDisconnected);
        }
      };
  private volatile boolean closed;
  private volatile OpcUaLineState state;
  private @Nullable Consumer<BatchSignal> sink;
  private @Nullable Connection connection;
  private @Nullable Delivery delivered;
  private @Nullable ScheduledFuture<?> retry;
  private int failedAttempts;

  OpcUaBatchSource(OpcUaSourceConfig config, OpcUaEndpoint endpoint, Runnable release) {
    this.config = config;
    this.endpoint = endpoint;
    this.release = release;
    this.origin = "opcua " + config.endpoint() + " " + config.line();
    this.worker = ConnectorThread.create("opcua-" + config.line(), log);
    this.state = new OpcUaLineState(OpcUaLineState.Phase.CONNECTING, Optional.empty(), Optional.empty(), Instant.now());
  }

  @Override
  public String line() {
    return config.line();
  }

  @Override
  public void start(Consumer<BatchSignal> sink) {
    run(
        () -> {
          this.sink = sink;
          endpoint.addListener(sessions);
        });
    long period = Math.max(50, config.watchdogTimeout().toMillis() / 4);
    worker.scheduleWithFixedDelay(
        () -> {
          // A periodic task that throws is never run again: the watchdog must survive its own failures.
          try {
            watchdog();
          } catch (RuntimeException e) {
            log.error("Line {}: watchdog failed", config.line(), e);
          }
        },
        period,
        period,
        TimeUnit.MILLISECONDS);
  }

  /**
   * The session's state with the line's: UP only when the session is up and the line is subscribed;
   * the detail says what the handshake is doing and the line's last error.
   */
  @Override
  public ConnectorStatus status() {
    ConnectorStatus session = endpoint.status();
    OpcUaLineState line = state;
    State overall = session.state();
    if (closed) {
      overall = State.STOPPED;
    } else if (overall == State.UP && line.phase() == OpcUaLineState.Phase.CONNECTING) {
      overall = line.lastError().isPresent() ? State.DOWN : State.CONNECTING;
    }
    return new ConnectorStatus(
        "opcua:" + config.line(),
        overall,
        session.detail() + "; line " + config.line() + ": " + line.describe(),
        session.since(),
        session.reconnects());
  }

  /** The line's handshake alone. */
  public OpcUaLineState lineState() {
    return state;
  }

  // ---- session events (line thread)

  private void onConnected(OpcUaClient client) {
    Connection conn = new Connection(client);
    connection = conn;
    cancelRetry();
    if (setUp(conn)) {
      afterSetUp(conn);
    }
  }

  private void afterSetUp(Connection conn) {
    Delivery out = delivered;
    if (out == null) {
      setPhase(OpcUaLineState.Phase.IDLE, Optional.empty());
      resync("connected");
    } else if (out.answer.isPresent()) {
      finishAcknowledgment(conn, out);
    } else {
      // The gateway has the batch; its answer is written when it comes, on this session.
      setPhase(OpcUaLineState.Phase.PROCESSING, Optional.of(out.label));
    }
  }

  private void onDisconnected() {
    connection = null;
    if (delivered == null) {
      setPhase(OpcUaLineState.Phase.CONNECTING, Optional.empty());
    }
  }

  /** Resolves the node ids against this session's namespace table and subscribes to Ready. */
  private boolean setUp(Connection conn) {
    try {
      NamespaceTable namespaces = conn.client.readNamespaceTable();
      conn.nodes = LineNodes.resolve(config.nodes(), namespaces).orElseThrow(() -> new LineProblem(LineNodes.unresolved(config.nodes(), namespaces)));
      conn.subscription = subscribe(conn);
      failedAttempts = 0;
      return true;
    } catch (LineProblem e) {
      problem(e.getMessage());
      long delay = config.reconnect().delay(++failedAttempts).toMillis();
      schedule(
          () -> {
            if (connection == conn && conn.subscription == null && setUp(conn)) {
              afterSetUp(conn);
            }
          },
          delay);
      return false;
    } catch (Exception e) {
      problem("subscribing failed: " + OpcUaErrors.describe(e));
      endpoint.reconnect(conn.client, "line " + config.line() + " could not subscribe (" + OpcUaErrors.describe(e) + ")");
      return false;
    }
  }

  private ReadySubscription subscribe(Connection conn) throws UaException, LineProblem {
    LineNodes nodes = Objects.requireNonNull(conn.nodes);
    var created = new ReadySubscription[1];
    ReadySubscription.Events events =
        new ReadySubscription.Events() {
          @Override
          public void changed() {
            run(() -> {
              if (current(conn, created[0])) {
                resync("ready changed");
              }
            });
          }

          @Override
          public void trouble(String why, boolean rebuild) {
            run(() -> OpcUaBatchSource.this.trouble(conn, created[0], why, rebuild));
          }
        };
    created[0] = ReadySubscription.create(conn.client, nodes.ready(), config.nodes().ready(), config.publishingInterval(), config.watchdogTimeout(), events);
    return created[0];
  }

  private boolean current(Connection conn, ReadySubscription subscription) {
    return connection == conn && conn.subscription == subscription;
  }

  private void trouble(Connection conn, ReadySubscription subscription, String why, boolean rebuild) {
    if (!current(conn, subscription)) {
      return;
    }
    log.warn("Line {}: {}; {}reading the handshake again", config.line(), why, rebuild ? "subscribing again and " : "");
    if (!rebuild || resubscribe(conn)) {
      resync(why);
    }
  }

  /** Our own watchdog: a subscription that has gone silent is rebuilt, then the handshake read. */
  private void watchdog() {
    Connection conn = connection;
    if (conn == null || conn.subscription == null) {
      return;
    }
    long silentMillis = conn.subscription.silentMillis();
    if (silentMillis > config.watchdogTimeout().toMillis()) {
      log.warn("Line {}: no data and no keep-alive for {} ms; subscribing again", config.line(), silentMillis);
      if (resubscribe(conn)) {
        resync("silent subscription");
      }
    }
  }

  private boolean resubscribe(Connection conn) {
    ReadySubscription old = conn.subscription;
    conn.subscription = null;
    if (old != null) {
      old.delete();
    }
    try {
      conn.subscription = subscribe(conn);
      return true;
    } catch (LineProblem e) {
      problem(e.getMessage());
      endpoint.reconnect(conn.client, "line " + config.line() + ": " + e.getMessage());
      return false;
    } catch (Exception e) {
      problem("subscribing again failed: " + OpcUaErrors.describe(e));
      endpoint.reconnect(conn.client, "line " + config.line() + " could not subscribe again (" + OpcUaErrors.describe(e) + ")");
      return false;
    }
  }

  // ---- the handshake (line thread)

  /** Reads Ready and Ack and does the step they call for. */
  private void resync(String why) {
    Connection conn = connection;
    if (conn == null || conn.subscription == null || delivered != null || retry != null || closed) {
      return;
    }
    LineNodes nodes = Objects.requireNonNull(conn.nodes);
    log.debug("Line {}: reading the handshake ({})", config.line(), why);
    try {
      List<DataValue> values = read(conn, nodes.ready(), nodes.ack());
      Optional<Boolean> ready = bool(values.get(0));
      Optional<Boolean> ack = bool(values.get(1));
      if (ready.isEmpty() || ack.isEmpty()) {
        problem(ready.isEmpty()
            ? "ready " + config.nodes().ready() + " is not a good Boolean: " + show(values.get(0))
            : "ack " + config.nodes().ack() + " is not a good Boolean: " + show(values.get(1)));
        setPhase(OpcUaLineState.Phase.IDLE, Optional.empty());
      } else if (ready.get() && !ack.get()) {
        deliver(conn, nodes);
      } else if (ready.get()) {
        setPhase(OpcUaLineState.Phase.WAITING_FOR_READY_DROP, state.batchId());
        // A drop and a new rise between two samples would never be reported: look again.
        pollSoon("waiting for ready to drop");
      } else if (ack.get()) {
        write(conn, nodes.ack(), new Variant(false), "ack");
        setPhase(OpcUaLineState.Phase.IDLE, Optional.empty());
        resync("ack dropped");
      } else {
        setPhase(OpcUaLineState.Phase.IDLE, Optional.empty());
        if (conn.subscription.lastReportedReady()) {
          // The subscription last said true: the next rise may come without a notification.
          pollSoon("ready not yet seen low by the subscription");
        }
      }
    } catch (UaException e) {
      problem("reading or writing the handshake failed: " + OpcUaErrors.describe(e));
      scheduleRetry();
    }
  }

  /**
   * The server samples Ready: a value that goes and comes back between two samples is never
   * reported. Where the next step depends on such a change, the handshake is read again after a
   * publishing interval, one pending read at a time.
   */
  private void pollSoon(String why) {
    if (poll == null) {
      poll =
          worker.schedule(
              () -> {
                // Cleared first: the read below may need to look again, and a running task is not done.
                poll = null;
                resync(why);
              },
              config.publishingInterval().toMillis(),
              TimeUnit.MILLISECONDS);
    }
  }

  /** Reads the batch in one call and hands it to the gateway, as it is, whatever it holds. */
  private void deliver(Connection conn, LineNodes nodes) throws UaException {
    List<DataValue> batch = read(conn, nodes.batchId(), nodes.product(), nodes.quantity());
    String label = show(batch.get(0));
    Delivery out = new Delivery(batch.get(0), label);
    delivered = out;
    setPhase(OpcUaLineState.Phase.PROCESSING, Optional.of(label));
    byte[] payload = BatchPayload.json(batch.get(0), batch.get(1), batch.get(2));
    log.info("Line {}: batch {} ready on the PLC", config.line(), label);
    try {
      Objects.requireNonNull(sink).accept(new BatchSignal(config.line(), origin, payload, Instant.now(), acknowledgment(out)));
    } catch (RuntimeException e) {
      onFailed(out, e);
    }
  }

  private BatchAcknowledgment acknowledgment(Delivery out) {
    return new BatchAcknowledgment() {
      @Override
      public void committed(Optional<String> lot) {
        run(() -> onCommitted(out, lot));
      }

      @Override
      public void failed(Throwable cause) {
        run(() -> onFailed(out, cause));
      }
    };
  }

  private void onCommitted(Delivery out, Optional<String> lot) {
    if (delivered != out) {
      log.debug("Line {}: answer for batch {} no longer awaited", config.line(), out.label);
      return;
    }
    out.answer = Optional.of(lot);
    Connection conn = connection;
    if (conn == null || conn.subscription == null) {
      log.info("Line {}: batch {} committed; Ack is written when the PLC is back", config.line(), out.label);
      return;
    }
    finishAcknowledgment(conn, out);
  }

  /** Writes Lot, then Ack: the PLC may read the lot as soon as it sees Ack. */
  private void finishAcknowledgment(Connection conn, Delivery out) {
    LineNodes nodes = Objects.requireNonNull(conn.nodes);
    Optional<String> lot = out.answer.orElseThrow();
    try {
      if (!stillHeld(conn, nodes, out)) {
        log.warn("Line {}: batch {} is no longer the one the PLC holds; not acknowledging it", config.line(), out.label);
        delivered = null;
        setPhase(OpcUaLineState.Phase.IDLE, Optional.empty());
        resync("batch changed");
        return;
      }
      if (nodes.lot().isPresent() && lot.isPresent()) {
        write(conn, nodes.lot().get(), new Variant(lot.get()), "lot");
      }
      write(conn, nodes.ack(), new Variant(true), "ack");
    } catch (UaException e) {
      // Not acknowledged: the batch is read and handed over again, and the gateway answers with the same lot.
      delivered = null;
      problem("acknowledging batch " + out.label + " failed: " + OpcUaErrors.describe(e));
      scheduleRetry();
      return;
    }
    delivered = null;
    failedAttempts = 0;
    log.info("Line {}: batch {} acknowledged{}", config.line(), out.label, lot.map(l -> " with lot " + l).orElse(" (no lot)"));
    setPhase(OpcUaLineState.Phase.WAITING_FOR_READY_DROP, Optional.of(out.label));
    resync("acknowledged");
  }

  /** Is the PLC still holding the batch that was handed over (and not reset, restarted, aborted)? */
  private boolean stillHeld(Connection conn, LineNodes nodes, Delivery out) throws UaException {
    List<DataValue> now = read(conn, nodes.ready(), nodes.ack(), nodes.batchId());
    return bool(now.get(0)).orElse(false)
        && !bool(now.get(1)).orElse(true)
        && Objects.equals(now.get(2).value(), out.batchId.value());
  }

  private void onFailed(Delivery out, Throwable cause) {
    if (delivered != out) {
      return;
    }
    delivered = null;
    problem("batch " + out.label + " was not stored (" + OpcUaErrors.describe(cause) + ")");
    scheduleRetry();
  }

  /** Reads the handshake again after a backoff; until then changes of Ready are ignored. */
  private void scheduleRetry() {
    cancelRetry();
    long delay = config.reconnect().delay(++failedAttempts).toMillis();
    setPhase(OpcUaLineState.Phase.RETRY_WAIT, state.batchId());
    retry =
        schedule(
            () -> {
              retry = null;
              setPhase(connection == null ? OpcUaLineState.Phase.CONNECTING : OpcUaLineState.Phase.IDLE, Optional.empty());
              resync("retry");
            },
            delay);
  }

  private @Nullable ScheduledFuture<?> schedule(Runnable task, long delayMillis) {
    try {
      return worker.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      return null;
    }
  }

  private void cancelRetry() {
    if (retry != null) {
      retry.cancel(false);
      retry = null;
    }
  }

  private List<DataValue> read(Connection conn, NodeId... nodes) throws UaException {
    return conn.client.readValues(0.0, TimestampsToReturn.Both, List.of(nodes));
  }

  /** One write with a value only (no timestamps: many PLCs refuse those), its status checked. */
  private void write(Connection conn, NodeId node, Variant value, String what) throws UaException {
    StatusCode status = conn.client.writeValues(List.of(node), List.of(DataValue.valueOnly(value))).get(0);
    if (!status.isGood()) {
      throw new UaException(status, "writing " + what + " " + node.toParseableString() + " was refused: " + OpcUaErrors.name(status));
    }
  }

  private static Optional<Boolean> bool(DataValue value) {
    boolean good = value.statusCode() == null || value.statusCode().isGood();
    return good && value.value().value() instanceof Boolean b ? Optional.of(b) : Optional.empty();
  }

  private static String show(DataValue value) {
    Object v = value.value().value();
    String text = v == null ? "(empty)" : v.toString().isEmpty() ? "(empty string)" : v.toString();
    StatusCode status = value.statusCode();
    return status == null || status.isGood() ? text : text + " [" + OpcUaErrors.name(status) + "]";
  }

  private void problem(String message) {
    log.warn("Line {}: {}", config.line(), message);
    OpcUaLineState s = state;
    String stamped = message + " (at " + Instant.now().truncatedTo(ChronoUnit.SECONDS) + ")";
    state = new OpcUaLineState(s.phase(), s.batchId(), Optional.of(stamped), Instant.now());
  }

  private void setPhase(OpcUaLineState.Phase phase, Optional<String> batchId) {
    OpcUaLineState s = state;
    if (s.phase() != phase || !s.batchId().equals(batchId)) {
      state = new OpcUaLineState(phase, batchId, s.lastError(), Instant.now());
    }
  }

  private void run(Runnable task) {
    try {
      worker.execute(task);
    } catch (RejectedExecutionException e) {
      log.debug("Line {}: closed, event dropped", config.line());
    }
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    endpoint.removeListener(sessions);
    run(
        () -> {
          cancelRetry();
          Connection conn = connection;
          connection = null;
          if (conn != null && conn.subscription != null) {
            conn.subscription.delete();
          }
        });
    worker.shutdown();
    try {
      if (!worker.awaitTermination(5, TimeUnit.SECONDS)) {
        worker.shutdownNow();
      }
    } catch (InterruptedException e) {
      worker.shutdownNow();
      Thread.currentThread().interrupt();
    } finally {
      release.run();
    }
  }
}
