package dev.linegate.gateway.traceability;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Optional;

/** A lot as recorded; {@code completedAt} is the PLC's, when it sent one. */
public record LotView(
    String lot,
    String line,
    String batchId,
    String product,
    String gtin,
    int quantity,
    LocalDate productionDate,
    LocalDate expiryDate,
    String status,
    Optional<Instant> completedAt,
    Instant committedAt) {}
