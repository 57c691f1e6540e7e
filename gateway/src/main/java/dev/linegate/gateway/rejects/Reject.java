package dev.linegate.gateway.rejects;

import java.time.Instant;
import java.util.Optional;

/** One refused input as kept in the log: what came in, from where, and why it was refused. */
public record Reject(
    long id,
    String kind,
    Optional<String> line,
    String origin,
    Instant receivedAt,
    String reason,
    String raw) {}
