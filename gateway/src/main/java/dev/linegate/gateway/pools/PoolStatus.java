package dev.linegate.gateway.pools;

import java.util.Optional;
import java.util.OptionalDouble;

/**
 * A pool as {@code /health} shows it: {@code state} ok, low (below alarmHours or lowWater: a
 * warning), empty, waiting (batches wait for serials), or suspended (returned).
 */
public record PoolStatus(
    String gtin,
    String provider,
    int available,
    OptionalDouble hoursLeft,
    String state,
    Optional<String> lastError) {}
