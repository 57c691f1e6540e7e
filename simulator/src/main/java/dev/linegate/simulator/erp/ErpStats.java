package dev.linegate.simulator.erp;

/**
 * Counts of POST /api/events requests: {@code received} all of them, {@code unique} accepted with a
 * new Idempotency-Key, {@code duplicates} accepted again, {@code rejected} answered non-2xx.
 */
public record ErpStats(long received, long unique, long duplicates, long rejected) {}
