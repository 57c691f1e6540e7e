package dev.linegate.gateway.gs1;

/** What a scanner read: the bar code type, when the scanner said, and the GS1 data in it. */
public record Gs1Scan(Symbology symbology, Gs1Data data) {}
