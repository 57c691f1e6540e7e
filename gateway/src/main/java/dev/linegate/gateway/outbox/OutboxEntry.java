package dev.linegate.gateway.outbox;

import java.time.Instant;
import java.util.Optional;

/**
 * An event of the outbox, for one output, as an operator sees it: where it stands, not its payload.
 */
public record OutboxEntry(
    long id,
    String eventId,
    String output,
    String type,
    String lot,
    String state,
    int attempts,
    Instant createdAt,
    Instant nextAttemptAt,
    Optional<String> lastError) {}
