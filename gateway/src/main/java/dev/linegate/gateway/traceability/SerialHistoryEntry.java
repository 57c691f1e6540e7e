package dev.linegate.gateway.traceability;

import java.time.Instant;

/** One step of a serial's story. */
public record SerialHistoryEntry(Instant at, String event, String detail) {}
