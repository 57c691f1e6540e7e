package dev.linegate.gateway.config;

import dev.linegate.connectors.serial.SerialSettings;

/** A barcode scanner on a serial port at an operator station. */
public record ScannerConfig(String id, String port, SerialSettings serial) {}
