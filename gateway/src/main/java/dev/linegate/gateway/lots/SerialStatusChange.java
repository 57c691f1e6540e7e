package dev.linegate.gateway.lots;

import java.time.Instant;

/** A serial scrapped, sampled or voided: what the API answers and the ERP's event carries. */
public record SerialStatusChange(
    String serial,
    String gtin,
    String lot,
    String line,
    String from,
    String to,
    String reason,
    String by,
    Instant at) {}
