package dev.linegate.gateway.intake;

import java.time.Instant;
import java.util.Optional;

/** A batch-complete signal that passed validation: it names a known product and a sane quantity. */
public record BatchRequest(String batchId, String product, int quantity, Optional<Instant> completedAt) {}
