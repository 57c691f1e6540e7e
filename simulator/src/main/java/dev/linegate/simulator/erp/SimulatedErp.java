package dev.linegate.simulator.erp;

import com.fasterxml.jackson.databind.JsonNode;
import dev.linegate.simulator.VertxAwait;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * An ERP that takes the gateway's CloudEvents on {@code POST /api/events} and records them,
 * de-duplicated by Idempotency-Key, and, on the same port, an EPCIS 2.0 capture interface ({@code
 * POST /epcis/capture}, see {@link EpcisCapture}). Its behaviour can be switched at any time, from
 * any thread except a Vert.x event loop: refuse connections, answer slowly, answer with an error
 * status.
 */
public final class SimulatedErp implements AutoCloseable {

  private final Vertx vertx = Vertx.vertx();
  private final String host;
  private final EventLog log = new EventLog();
  private final AtomicReference<ResponsePolicy> policy =
      new AtomicReference<>(ResponsePolicy.NORMAL);
  private final List<Consumer<ErpEvent>> listeners = new CopyOnWriteArrayList<>();
  private final List<Consumer<EpcisEvent>> epcisListeners = new CopyOnWriteArrayList<>();

  /** The Authorization header a request must carry; null: none needed. */
  private final AtomicReference<String> authorization = new AtomicReference<>();

  private final Router api;
  private final EpcisCapture epcis;
  private volatile int port;

  /** Null while connections are refused. */
  private HttpServer server;

  private SimulatedErp(String host) {
    this.host = host;
    api = new ErpApi(vertx, log, policy::get, authorization::get, this::tellListeners).router();
    epcis =
        new EpcisCapture(
            authorization::get,
            Integer.MAX_VALUE,
            event -> epcisListeners.forEach(listener -> listener.accept(event)));
    epcis.addRoutes(api);
  }

  /** Listens on 127.0.0.1; port 0 picks a free port. */
  public static SimulatedErp start(int port) {
    return start("127.0.0.1", port);
  }

  public static SimulatedErp start(String host, int port) {
    var erp = new SimulatedErp(host);
    try {
      erp.listen(port);
    } catch (RuntimeException e) {
      erp.close();
      throw e;
    }
    return erp;
  }

  /**
   * Serves {@code POST /control/mode} on its own port (see {@link ErpControl}); returns that port.
   */
  public int serveControl(int controlPort) {
    var control = vertx.createHttpServer().requestHandler(new ErpControl(vertx, this).router());
    return await(control.listen(controlPort, host), "control port " + controlPort).actualPort();
  }

  public int port() {
    return port;
  }

  /** The URL the gateway's {@code erp.url} should hold. */
  public String url() {
    return "http://" + (host.equals("0.0.0.0") ? "127.0.0.1" : host) + ":" + port + "/api/events";
  }

  /** The URL the gateway's {@code erp.epcis.url} should hold: its EPCIS capture interface. */
  public String epcisUrl() {
    return url().replace("/api/events", "/epcis/capture");
  }

  /** EPCISDocuments taken (answered 202), in arrival order, repeats included. */
  public List<JsonNode> epcisDocuments() {
    return epcis.documents();
  }

  /** EPCIS events taken, unique by eventID, in arrival order. */
  public List<EpcisEvent> epcisEvents() {
    return epcis.events();
  }

  /** EPCIS events taken again under an eventID seen before. */
  public long epcisDuplicates() {
    return epcis.duplicates();
  }

  /** EPCISDocuments answered with anything but 202 (refused, failed, too large). */
  public long epcisRefused() {
    return epcis.refused();
  }

  /** Called on a Vert.x event loop for each new EPCIS event: keep it short. */
  public void onEpcisEvent(Consumer<EpcisEvent> listener) {
    epcisListeners.add(listener);
  }

  /** Answers every EPCISDocument with {@code status} (a 2xx: takes them again). */
  public void respondToEpcisWith(int status) {
    epcis.failWith(status);
  }

  /**
   * Fails the capture jobs of the next EPCISDocuments for {@code reason}, as a repository's
   * validation does after it took them (null: they succeed again); none of their events is
   * captured.
   */
  public void failEpcisCaptureJobs(String reason) {
    epcis.failJobs(reason);
  }

  /** New capture jobs answer {@code polls} polls still running before they finish. */
  public void runEpcisCaptureJobsFor(int polls) {
    epcis.runJobsFor(polls);
  }

  /** How often capture jobs were asked about. */
  public int epcisCaptureJobPolls() {
    return epcis.jobPolls();
  }

  /** Answers an EPCISDocument of more than {@code max} events with 413, as repositories do. */
  public void limitEpcisEvents(int max) {
    epcis.limitEvents(max);
  }

  /** Unique events in arrival order. */
  public List<ErpEvent> events() {
    return log.events();
  }

  public List<ErpEvent> events(String type) {
    return log.events().stream().filter(e -> e.type().equals(type)).toList();
  }

  public ErpStats stats() {
    return log.stats();
  }

  /** Requests to {@code POST /api/events}, whatever the answer. */
  public long received() {
    return log.stats().received();
  }

  /** Events accepted again under an Idempotency-Key seen before. */
  public long duplicates() {
    return log.stats().duplicates();
  }

  /** Called on a Vert.x event loop for each new unique event: keep it short. */
  public void onEvent(Consumer<ErpEvent> listener) {
    listeners.add(listener);
  }

  /** Stops listening, and drops open connections: clients get "connection refused". */
  public synchronized void refuseConnections() {
    if (server != null) {
      await(server.close(), "closing port " + port);
      server = null;
    }
  }

  /** Listens again, on the same port. */
  public synchronized void acceptConnections() {
    if (server == null) {
      listen(port);
    }
  }

  /** Answers every request only after {@code delay}. */
  public void respondSlowly(Duration delay) {
    policy.updateAndGet(p -> p.withDelay(delay));
  }

  /** Answers every event with {@code status}; a non-2xx event is not recorded. */
  public void respondWith(int status) {
    respondWith(status, event -> true);
  }

  /** Answers the events {@code which} selects with {@code status}, the others with 200. */
  public void respondWith(int status, Predicate<ErpEvent> which) {
    policy.updateAndGet(p -> p.withStatus(status, which));
  }

  /**
   * Takes only requests whose Authorization header is {@code required}: 401 without one, 403 with
   * another, as an ERP answers a client whose credentials are missing or were rotated.
   */
  public void requireAuthorization(String required) {
    authorization.set(required);
  }

  /** Answers 200 at once (EPCIS: 202), and accepts connections. */
  public void behaveNormally() {
    policy.set(ResponsePolicy.NORMAL);
    epcis.failWith(0);
    epcis.failJobs(null);
    epcis.runJobsFor(0);
    acceptConnections();
  }

  @Override
  public void close() {
    await(vertx.close(), "closing");
  }

  private synchronized void listen(int wanted) {
    var created = vertx.createHttpServer().requestHandler(api);
    server = await(created.listen(wanted, host), host + ":" + wanted);
    port = server.actualPort();
  }

  private void tellListeners(ErpEvent event) {
    listeners.forEach(listener -> listener.accept(event));
  }

  private static <T> T await(Future<T> future, String what) {
    return VertxAwait.result(future, "ERP", what);
  }
}
