package dev.linegate.gateway.config;

import dev.linegate.connectors.serial.SerialSettings;
import java.nio.file.Path;

/** A label printer on a serial port or at {@code tcp://host:9100}. */
public record PrinterConfig(String id, String port, SerialSettings serial, Path template) {}
