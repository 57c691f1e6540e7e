package dev.linegate.gateway.intake;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Optional;

/**
 * A batch-complete signal that passed validation: it names a known product and a sane quantity, and
 * its production and expiry dates fit on a GS1 label.
 */
public record BatchRequest(
    String batchId,
    String product,
    int quantity,
    Optional<Instant> completedAt,
    LocalDate productionDate,
    LocalDate expiryDate) {}
