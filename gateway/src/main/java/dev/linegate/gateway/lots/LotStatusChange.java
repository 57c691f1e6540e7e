package dev.linegate.gateway.lots;

import java.time.Instant;

/** A change of a lot's status that was just made. */
public record LotStatusChange(
    String lot, String line, LotStatus from, LotStatus to, String reason, String by, Instant at) {}
