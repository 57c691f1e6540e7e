package dev.linegate.gateway.lots;

import java.time.Instant;
import java.util.Optional;

/**
 * A serial scrapped, sampled or voided: what the API answers and the ERP's event carries. {@code
 * replacement}: the serial on the label queued to replace a scrapped one (the same, or a new one of
 * the lot, by the product's {@code serials.reprint}).
 */
public record SerialStatusChange(
    String serial,
    String gtin,
    String lot,
    String line,
    String from,
    String to,
    String reason,
    String by,
    Instant at,
    Optional<String> replacement) {}
