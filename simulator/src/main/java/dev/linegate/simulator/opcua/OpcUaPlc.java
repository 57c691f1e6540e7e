package dev.linegate.simulator.opcua;

import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;

import dev.linegate.simulator.BatchIds;
import dev.linegate.simulator.Signalled;
import io.netty.channel.Channel;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.milo.opcua.sdk.server.OpcUaServer;
import org.eclipse.milo.opcua.sdk.server.Session;
import org.eclipse.milo.opcua.sdk.server.subscriptions.Subscription;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UInteger;
import org.eclipse.milo.opcua.stack.core.types.structured.DeleteSubscriptionsRequest;
import org.eclipse.milo.opcua.stack.core.types.structured.RequestHeader;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A simulated PLC with an OPC UA server (Eclipse Milo): per line the handshake variables {@code
 * <line>.Batch.Ready|Id|Product|Quantity|Lot|Ack} in the namespace {@value #NAMESPACE_URI}, and the
 * PLC side of the Ready/Ack handshake (SPEC section 3).
 *
 * <p>The PLC's values live in this object: {@link #stop()} and {@link #start()} restart the server
 * on the same port as a PLC restart would, and a batch held across it is still held afterwards.
 * {@link #dropSessions()} cuts every client off without stopping the server.
 */
public final class OpcUaPlc implements AutoCloseable {

  public static final String NAMESPACE_URI = "urn:linegate:simulator:plc";
  public static final String APPLICATION_URI = "urn:linegate:simulator:opcua-plc";

  /**
   * The handshake of one line as the PLC sees it. {@code phase} is IDLE, RAISED or
   * WAITING_FOR_ACK_DROP.
   */
  public record LineState(
      String line,
      boolean ready,
      boolean ack,
      String batchId,
      String lot,
      String phase,
      int queued) {}

  private static final Logger LOG = LoggerFactory.getLogger(OpcUaPlc.class);
  private static final long TIMEOUT_SECONDS = 30;

  private final OpcUaPlcConfig config;
  private final Optional<ServerCertificate> certificate;

  /** The PLC program: every line's handshake and every server start and stop run on it. */
  private final ExecutorService program;

  private final Map<String, PlcLine> lines = new LinkedHashMap<>();
  private final Set<Channel> channels = ConcurrentHashMap.newKeySet();
  private final BatchIds ids = new BatchIds();

  /** Kept across restarts of the server, as a firmware's fault would be. */
  private final AtomicBoolean shortReads = new AtomicBoolean();

  private volatile @Nullable OpcUaServer server;
  private volatile @Nullable PlcNamespace namespace;

  private OpcUaPlc(OpcUaPlcConfig config, Optional<ServerCertificate> certificate) {
    this.config = config;
    this.certificate = certificate;
    this.program =
        Executors.newSingleThreadExecutor(r -> new Thread(r, "opcua-plc-" + config.port()));
    for (String line : config.lines()) {
      lines.put(line, new PlcLine(line, config.quantityType(), this::output));
    }
  }

  /** Creates the PLC and starts its server; with port 0 on a free port (see {@link #port()}). */
  public static OpcUaPlc start(OpcUaPlcConfig config) throws Exception {
    int port = config.port() == 0 ? freePort(config.host()) : config.port();
    OpcUaPlcConfig resolved = config.withPort(port);
    Optional<ServerCertificate> certificate =
        resolved.secure()
            ? Optional.of(
                ServerCertificate.loadOrCreate(resolved.pkiDir(), APPLICATION_URI, resolved.host()))
            : Optional.empty();
    var plc = new OpcUaPlc(resolved, certificate);
    try {
      plc.start();
    } catch (Exception e) {
      plc.close();
      throw e;
    }
    return plc;
  }

  public int port() {
    return config.port();
  }

  /** {@code opc.tcp://host:port/linegate}. */
  public String endpointUrl() {
    return "opc.tcp://" + config.host() + ":" + config.port() + OpcUaPlcConfig.PATH;
  }

  /** The server's certificate file (DER), to be copied into a client's trusted certificates. */
  public Optional<Path> certificateFile() {
    return certificate.map(ServerCertificate::derFile);
  }

  public Optional<X509Certificate> certificate() {
    return certificate.map(ServerCertificate::certificate);
  }

  /** The namespace index of {@value #NAMESPACE_URI} in the running server. */
  public int namespaceIndex() {
    PlcNamespace current = namespace;
    if (current == null) {
      throw new IllegalStateException("the server is stopped");
    }
    return current.getNamespaceIndex().intValue();
  }

  /** A batch id unique to this run: {@code <line>-<runId>-<counter>}. */
  public String nextBatchId(String line) {
    return ids.next(line);
  }

  /**
   * Raises a batch: writes Id, Product, Quantity (in the PLC's {@link QuantityType}), then Ready,
   * and holds it until the gateway acknowledges. Queued behind the line's batch in progress.
   *
   * @return completes with the lot read back when the gateway has acknowledged
   */
  public CompletableFuture<String> raise(
      String line, String batchId, String product, int quantity) {
    return handshake(line, batchId, product, quantity).thenApply(PlcLine.Acknowledged::lot);
  }

  /** As {@link #raise}, telling when Ready rose and when Ack was seen: the handshake's latency. */
  public CompletableFuture<Signalled> raiseTimed(
      String line, String batchId, String product, int quantity) {
    return handshake(line, batchId, product, quantity).thenApply(PlcLine.Acknowledged::timing);
  }

  /** Raises a batch with values of any type, e.g. a Double quantity or an empty batch id. */
  public CompletableFuture<String> raiseRaw(
      String line, Variant batchId, Variant product, Variant quantity) {
    return raiseRaw(line, new DataValue(batchId), new DataValue(product), new DataValue(quantity));
  }

  /** Raises a batch whose quantity carries a Bad status code, as a PLC does for a failed sensor. */
  public CompletableFuture<String> raiseWithBadQuantity(
      String line, String batchId, String product, StatusCode status) {
    return raiseRaw(
        line,
        new DataValue(new Variant(batchId)),
        new DataValue(new Variant(product)),
        new DataValue(Variant.NULL_VALUE, status));
  }

  /** Raises a batch with the exact values (and status codes) the PLC will hold. */
  public CompletableFuture<String> raiseRaw(
      String line, DataValue batchId, DataValue product, DataValue quantity) {
    return handshake(line, batchId, product, quantity).thenApply(PlcLine.Acknowledged::lot);
  }

  /** Completes when the line's handshake is done: nothing raised or queued, Ack dropped. */
  public CompletableFuture<Void> whenIdle(String line) {
    PlcLine plcLine = line(line);
    return onProgram(plcLine::whenIdle);
  }

  /** The line's handshake as the PLC sees it now. */
  public LineState state(String line) {
    PlcLine plcLine = line(line);
    return onProgram(plcLine::state);
  }

  public boolean running() {
    return server != null;
  }

  /** Starts the server again after {@link #stop()}, on the same port, with the values held. */
  public void start() {
    onProgram(
        () -> {
          if (server == null) {
            startServer();
          }
          return null;
        });
  }

  /** Stops the server as a PLC that is switched off; the values stay here. */
  public void stop() {
    onProgram(
        () -> {
          stopServer();
          return null;
        });
  }

  /** Closes every client session and connection; the server stays up. */
  public void dropSessions() {
    OpcUaServer current = server;
    if (current == null) {
      return;
    }
    for (Session session : current.getSessionManager().getAllSessions()) {
      current.getSessionManager().killSession(session.getSessionId(), true);
    }
    channels.forEach(Channel::close);
    LOG.info("dropped every session and connection");
  }

  /**
   * Deletes every subscription on the server while the sessions stay: from then on the clients hear
   * nothing (no data, no keep-alive) unless they notice and subscribe again.
   */
  public void dropSubscriptions() {
    OpcUaServer current = server;
    if (current == null) {
      return;
    }
    for (Subscription subscription : List.copyOf(current.getSubscriptions().values())) {
      var header =
          new RequestHeader(
              NodeId.NULL_VALUE, DateTime.now(), uint(0), uint(0), null, uint(0), null);
      subscription
          .getSubscriptionManager()
          .deleteSubscriptions(
              new DeleteSubscriptionsRequest(header, new UInteger[] {subscription.getId()}));
    }
    LOG.info("dropped every subscription");
  }

  /**
   * While on, the server answers every Read of several values with the first value only, as a
   * server that does not keep to the standard (some PLC firmware) does; off, it answers in full.
   */
  public void shortReads(boolean on) {
    shortReads.set(on);
    LOG.info(
        "Reads of several values are {}", on ? "answered with one value only" : "answered in full");
  }

  /** The number of sessions open now. */
  public int sessionCount() {
    OpcUaServer current = server;
    return current == null ? 0 : current.getSessionManager().getAllSessions().size();
  }

  @Override
  public void close() {
    try {
      onProgram(
          () -> {
            stopServer();
            lines.values().forEach(PlcLine::abandon);
            return null;
          });
    } finally {
      program.shutdown();
    }
  }

  private void startServer() throws Exception {
    OpcUaServer created =
        PlcServerFactory.create(config, certificate, this::track, shortReads::get);
    var createdNamespace =
        new PlcNamespace(
            created,
            config.lines(),
            config.quantityType(),
            line -> lines.get(line).values(),
            (line, field, value) -> program.execute(() -> lines.get(line).written(field, value)));
    createdNamespace.startup();
    try {
      created.startup().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException | InterruptedException e) {
      // Half started is still started: release the port and the threads before giving up.
      createdNamespace.shutdown();
      created.shutdown();
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      throw new IOException(
          "the OPC UA server did not start on " + endpointUrl(),
          e instanceof ExecutionException ? e.getCause() : e);
    }
    namespace = createdNamespace;
    server = created;
    LOG.info(
        "OPC UA PLC listening on {} (lines {}, {})",
        endpointUrl(),
        config.lines(),
        describeSecurity());
  }

  private void stopServer() throws Exception {
    OpcUaServer current = server;
    PlcNamespace currentNamespace = namespace;
    server = null;
    namespace = null;
    if (current == null) {
      return;
    }
    // Connections first: a client must not see the variables vanish before the server goes.
    current.shutdown().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    channels.forEach(Channel::close);
    channels.clear();
    if (currentNamespace != null) {
      currentNamespace.shutdown();
    }
    LOG.info("OPC UA PLC on {} stopped", endpointUrl());
  }

  private void track(Channel channel) {
    channels.add(channel);
    channel.closeFuture().addListener(f -> channels.remove(channel));
  }

  private CompletableFuture<PlcLine.Acknowledged> handshake(
      String line, String batchId, String product, int quantity) {
    return handshake(
        line,
        new DataValue(new Variant(batchId)),
        new DataValue(new Variant(product)),
        new DataValue(config.quantityType().encode(quantity)));
  }

  private CompletableFuture<PlcLine.Acknowledged> handshake(
      String line, DataValue batchId, DataValue product, DataValue quantity) {
    PlcLine plcLine = line(line);
    var acknowledged = new CompletableFuture<PlcLine.Acknowledged>();
    String label = String.valueOf(batchId.value().value());
    program.execute(
        () -> plcLine.raise(new PlcLine.Raise(label, batchId, product, quantity, acknowledged)));
    return acknowledged;
  }

  /** Runs on the program thread: the values are written where the server (if up) shows them. */
  private void output(String line, BatchField field, DataValue value) {
    PlcNamespace current = namespace;
    if (current != null) {
      current.set(line, field, value);
    }
  }

  private PlcLine line(String line) {
    PlcLine plcLine = lines.get(line);
    if (plcLine == null) {
      throw new IllegalArgumentException(
          "unknown line " + line + "; the PLC has " + config.lines());
    }
    return plcLine;
  }

  private String describeSecurity() {
    String security =
        config.endpoints().stream()
            .map(s -> s.policy().name() + "/" + s.mode().name())
            .reduce((a, b) -> a + ", " + b)
            .orElse("");
    return "security "
        + security
        + ", "
        + config.user().map(u -> "user " + u.name()).orElse("anonymous");
  }

  private <T> T onProgram(Callable<T> task) {
    try {
      return program.submit(task).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new IllegalStateException(cause.getMessage(), cause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (TimeoutException e) {
      throw new IllegalStateException(
          "the PLC program did not answer in " + TIMEOUT_SECONDS + " s", e);
    }
  }

  private static int freePort(String host) throws IOException {
    try (var socket = new ServerSocket(0, 1, InetAddress.getByName(host))) {
      return socket.getLocalPort();
    }
  }
}
