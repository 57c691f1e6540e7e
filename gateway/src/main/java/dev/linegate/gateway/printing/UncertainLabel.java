package dev.linegate.gateway.printing;

import java.time.Instant;
import java.util.Optional;

/**
 * A label nobody knows the fate of: label {@code position} of print job {@code job}, uncertain
 * since {@code since}. A lot label has no serial.
 */
public record UncertainLabel(
    long id,
    long job,
    int position,
    String printer,
    String lot,
    String line,
    Optional<String> serial,
    Optional<String> gtin,
    Instant since) {}
