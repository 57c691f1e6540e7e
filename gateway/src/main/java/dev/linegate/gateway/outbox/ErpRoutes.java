package dev.linegate.gateway.outbox;

import dev.linegate.connectors.Secret;
import dev.linegate.gateway.config.ConfigException;
import dev.linegate.gateway.config.ErpConfig;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.NoErrorHandlerBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.http.HttpComponent;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;

/**
 * The Camel side of the outbox. Each event is sent to {@code direct:erp}; the default route posts
 * it to {@code erp.url}, or the user's YAML routes take it from there to any Camel component.
 * Retrying is not Camel's job here: the outbox keeps the event and retries it across restarts.
 */
public final class ErpRoutes implements Output {

  public static final String ENDPOINT = "direct:erp";
  static final String CONTENT_TYPE = "application/cloudevents+json";

  private final CamelContext camel;
  private final ProducerTemplate producer;
  private final Endpoint entry;

  /**
   * {@code erp.headers}, set on each exchange rather than in the route: a route's definition can be
   * logged or dumped, and these are credentials.
   */
  private final Map<String, Secret> headers;

  private final int concurrency;

  private ErpRoutes(CamelContext camel, Map<String, Secret> headers, int concurrency) {
    this.camel = camel;
    this.producer = camel.createProducerTemplate();
    this.entry = camel.getEndpoint(ENDPOINT);
    this.headers = headers;
    this.concurrency = concurrency;
  }

  @Override
  public String name() {
    return "http";
  }

  @Override
  public String title() {
    return "ERP";
  }

  /** {@code erp}, the name it had when it was the only output. */
  @Override
  public String check() {
    return "erp";
  }

  @Override
  public int concurrency() {
    return concurrency;
  }

  public static ErpRoutes start(ErpConfig config) throws ConfigException {
    CamelContext camel = new DefaultCamelContext();
    camel.getShutdownStrategy().setTimeout(10);
    // Camel's default error handler logs every failed exchange with its stack trace: during an ERP
    // outage that is one per event. The dispatcher logs the outage once; routes may still declare
    // their own error handler.
    camel.getCamelContextExtension().setErrorHandlerFactory(new NoErrorHandlerBuilder());
    try {
      if (config.routes().isPresent()) {
        Path routes = config.routes().get();
        PluginHelper.getRoutesLoader(camel)
            .loadRoutes(ResourceHelper.resolveResource(camel, "file:" + routes.toAbsolutePath()));
      } else {
        lean(camel.getComponent("http", HttpComponent.class));
        camel.addRoutes(httpRoute(config.url().orElseThrow(), config.timeoutMs()));
      }
      camel.start();
    } catch (Exception e) {
      camel.stop();
      throw new ConfigException(
          List.of(
              "erp"
                  + (config.routes().isPresent() ? ".routes" : ".url")
                  + ": Camel cannot start the route: "
                  + e.getMessage()));
    }
    String entry = camel.getEndpoint(ENDPOINT).getEndpointUri();
    boolean consumed =
        camel.getRoutes().stream().anyMatch(r -> r.getEndpoint().getEndpointUri().equals(entry));
    if (!consumed) {
      camel.stop();
      throw new ConfigException(
          List.of(
              "erp.routes: no route reads from "
                  + ENDPOINT
                  + " (write `from: uri: "
                  + ENDPOINT
                  + "`)"));
    }
    return new ErpRoutes(camel, config.headers(), config.concurrency());
  }

  /**
   * The default route's HTTP client without the parts of Apache HttpClient's exec chain an event
   * POST has no use for; a user's routes keep Camel's defaults. Half the gateway's CPU per batch
   * was the HTTP producer (BENCHMARKS.md). Retrying is the outbox's, with the event's idempotency
   * key: the client's own silent re-send is off too.
   */
  private static void lean(HttpComponent http) {
    http.setAutomaticRetriesDisabled(true);
    http.setContentCompressionDisabled(true);
    http.setCookieManagementDisabled(true);
    http.setRedirectHandlingDisabled(true);
  }

  private static RouteBuilder httpRoute(URI url, int timeoutMs) {
    // The method as an endpoint option, not a header: camel-http reads the option first, while a
    // CamelHttpMethod header is converted from text to its enum on every request, a type-converter
    // lookup that was 15 % of the gateway's CPU at 2,000 events/s (BENCHMARKS.md). The answer's
    // headers are not read: copying them into Camel headers was 7 % at 7,500/s.
    String options =
        "httpMethod=POST&skipResponseHeaders=true&connectTimeout="
            + Math.min(timeoutMs, 5_000)
            + "&responseTimeout="
            + timeoutMs
            + "&soTimeout="
            + timeoutMs;
    String endpoint = url + (url.getQuery() == null ? "?" : "&") + options;
    return new RouteBuilder() {
      @Override
      public void configure() {
        from(ENDPOINT).routeId("linegate-erp-http").to(endpoint);
      }
    };
  }

  /** Sends one event through the routes, on the calling thread. */
  @Override
  public DeliveryResult deliver(String eventId, String type, String subject, String payload) {
    Exchange exchange =
        producer.send(
            entry,
            e -> {
              e.getIn().setBody(payload);
              e.getIn().setHeader(Exchange.CONTENT_TYPE, CONTENT_TYPE);
              e.getIn().setHeader("Idempotency-Key", eventId);
              e.getIn().setHeader("LinegateEventType", type);
              e.getIn().setHeader("LinegateSubject", subject);
              headers.forEach((name, value) -> e.getIn().setHeader(name, value.value()));
            });
    Exception failure = exchange.getException();
    if (failure == null) {
      return new DeliveryResult.Delivered();
    }
    HttpOperationFailedException http = exchange.getException(HttpOperationFailedException.class);
    if (http == null) {
      return HttpAnswer.failed(failure);
    }
    return HttpAnswer.of(http.getStatusCode(), http.getResponseBody(), "the ERP", "erp.headers");
  }

  @Override
  public void close() {
    camel.stop();
  }
}
