package dev.linegate.gateway.config;

import dev.linegate.connectors.Secret;
import java.net.URI;
import java.util.Map;

/**
 * {@code erp.epcis} (SPEC section 13): events go to the EPCIS 2.0 capture endpoint at {@code url}
 * as EPCISDocuments of at most {@code maxEventsPerDocument} events, each event with at most {@code
 * maxEpcsPerEvent} EPCs; {@code headers} go with every request (credentials, from the environment);
 * {@code location} is {@code gs1.location}, the events' read point and business location.
 */
public record EpcisConfig(
    URI url,
    Map<String, Secret> headers,
    int maxEventsPerDocument,
    int maxEpcsPerEvent,
    int concurrency,
    String location) {}
