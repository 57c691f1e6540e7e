package dev.linegate.gateway.traceability;

/** A serial in the list of its lot's serials. */
public record LotSerial(String serial, String gtin, String status) {}
