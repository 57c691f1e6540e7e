package dev.linegate.simulator.load;

import java.time.Instant;

/** A lot as the gateway's {@code GET /api/lots} lists it, reduced to what a load run measures. */
record GatewayLot(String lot, String line, String batchId, Instant committedAt) {}
