package dev.linegate.gateway.station;

import java.time.Instant;

/** A printed unit label that no station has scanned. */
public record UnverifiedLabel(String serial, String gtin, String lot, Instant printedAt) {}
