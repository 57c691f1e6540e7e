package dev.linegate.gateway.config;

import dev.linegate.connectors.serial.SerialSettings;
import java.time.Duration;

/**
 * A barcode scanner on a serial port at an operator station. A unit label printed longer than
 * {@code verifyWithin} ago and not yet scanned there is flagged.
 */
public record ScannerConfig(String id, String port, SerialSettings serial, Duration verifyWithin) {}
