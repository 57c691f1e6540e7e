package dev.linegate.gateway.lots;

import java.time.Instant;
import java.util.Optional;

/** A change of a lot's status that was just made; {@code signed}: the signature's meaning. */
public record LotStatusChange(
    String lot,
    String line,
    LotStatus from,
    LotStatus to,
    String reason,
    String by,
    Optional<String> signed,
    Instant at) {}
