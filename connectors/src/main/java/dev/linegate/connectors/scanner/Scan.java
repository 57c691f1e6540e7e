package dev.linegate.connectors.scanner;

import java.time.Instant;

/** Stub, to be replaced by the scanner-wire branch: one read from a scanner. */
public record Scan(String scanner, String text, Instant receivedAt) {}
