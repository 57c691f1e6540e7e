package dev.linegate.gateway.config;

import dev.linegate.connectors.serial.SerialSettings;
import dev.linegate.gateway.printing.LabelTemplate;
import java.time.Duration;

/**
 * A label printer on a serial port or at {@code tcp://host:9100}. Its status is asked every {@code
 * statusInterval} while idle or faulted; a fault that holds labels for {@code faultAlarm} becomes a
 * {@code label.failed} event.
 */
public record PrinterConfig(
    String id,
    String port,
    SerialSettings serial,
    LabelTemplate template,
    Duration statusInterval,
    Duration faultAlarm) {}
