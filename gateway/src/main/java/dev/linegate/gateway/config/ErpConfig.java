package dev.linegate.gateway.config;

import dev.linegate.connectors.Backoff;
import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where events go: the default HTTP route to {@code url}, or the user's Camel routes. {@code
 * concurrency} lots are delivered at once (order is kept within a lot), and delivered events are
 * kept {@code keepDeliveredDays} for inspection before they are purged.
 */
public record ErpConfig(Optional<URI> url, Optional<Path> routes, Backoff retry, int concurrency, int timeoutMs, int keepDeliveredDays) {}
