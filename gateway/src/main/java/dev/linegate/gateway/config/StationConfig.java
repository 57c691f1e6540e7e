package dev.linegate.gateway.config;

/**
 * {@code stations[]}: a scanner where an operator does something other than verify the line's
 * labels. A {@code packing} station packs the line's units into cases and cases onto pallets.
 */
public record StationConfig(String id, String line, String scanner) {}
