package dev.linegate.gateway.auth;

import java.time.Instant;
import java.util.Optional;

/** One change in the audit trail. */
public record AuditEntry(
    long id,
    Instant at,
    String actor,
    String role,
    String action,
    String object,
    Optional<String> reason,
    Optional<String> meaning) {}
