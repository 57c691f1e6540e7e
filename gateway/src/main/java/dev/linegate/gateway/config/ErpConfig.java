package dev.linegate.gateway.config;

import dev.linegate.connectors.Backoff;
import dev.linegate.connectors.Secret;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Where events go: the default HTTP route to {@code url}, or the user's Camel routes, to Kafka
 * ({@code kafka}) and to an EPCIS capture endpoint ({@code epcis}); each is an output of its own,
 * with its own backlog (at least one is given). {@code concurrency} lots are delivered at once
 * (order is kept within a lot), and delivered events are kept {@code keepDeliveredDays} for
 * inspection before they are purged. An event that fails while the ERP takes others waits {@code
 * retry}; while the ERP takes none, one event probes it at {@code probe} intervals, whose maximum
 * bounds how long the backlog waits after the ERP is back. {@code headers} go with every request of
 * the default route (credentials, from the environment).
 */
public record ErpConfig(
    Optional<URI> url,
    Optional<Path> routes,
    Optional<KafkaConfig> kafka,
    Optional<EpcisConfig> epcis,
    Map<String, Secret> headers,
    Backoff retry,
    Backoff probe,
    int concurrency,
    int timeoutMs,
    int keepDeliveredDays) {

  /** The HTTP output (the default route or the user's Camel routes) is configured. */
  public boolean http() {
    return url.isPresent() || routes.isPresent();
  }
}
