package dev.linegate.gateway;

import dev.linegate.connectors.Connection;
import dev.linegate.connectors.Connector;
import dev.linegate.connectors.batch.BatchSource;
import dev.linegate.connectors.mqtt.MqttBatchSource;
import dev.linegate.connectors.opcua.OpcUaBatchSource;
import dev.linegate.connectors.opcua.OpcUaConnections;
import dev.linegate.connectors.printer.PrinterLink;
import dev.linegate.connectors.printer.PrinterLinkConfig;
import dev.linegate.connectors.scanner.ScannerSource;
import dev.linegate.connectors.scanner.ScannerSourceConfig;
import dev.linegate.gateway.config.GatewayConfig;
import dev.linegate.gateway.config.LineConfig;
import dev.linegate.gateway.config.PrinterConfig;
import dev.linegate.gateway.config.ScannerConfig;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every connector of the gateway, built here and nowhere else from the configuration: each line's
 * batch source (MQTT or OPC UA), each scanner, each printer. A new transport is one {@link
 * Connector} class in {@code connectors/} and one case here; {@code /health} and {@code
 * linegate_connector_up{kind,id}} pick it up by its status (see {@link ConnectorMeters}); every
 * {@link Connection} built here also counts its attempts to open in {@code
 * linegate_connector_open_attempts_total{kind,id}}.
 *
 * <p>Each connector is started and closed by the part that uses it, in the gateway's order (the
 * lines' sources by the gateway, last up and first down; scanners by the stations; printers by
 * their workers). Closing the registry closes the OPC UA sessions the lines share.
 */
final class Connectors implements AutoCloseable {

  private final OpcUaConnections opcua = new OpcUaConnections();
  private final List<BatchSource> lines = new ArrayList<>();
  private final Map<String, ScannerSource> scanners = new LinkedHashMap<>();
  private final Map<String, PrinterLink> printers = new LinkedHashMap<>();

  Connectors(GatewayConfig config, MeterRegistry metrics) {
    for (LineConfig line : config.lines()) {
      lines.add(source(line, metrics));
    }
    for (ScannerConfig scanner : config.scanners()) {
      scanners.put(
          scanner.id(),
          counted(
              new ScannerSource(
                  ScannerSourceConfig.of(scanner.id(), scanner.port(), scanner.serial())),
              metrics));
    }
    for (PrinterConfig printer : config.printers()) {
      printers.put(
          printer.id(),
          counted(
              new PrinterLink(PrinterLinkConfig.of(printer.id(), printer.port(), printer.serial())),
              metrics));
    }
  }

  private BatchSource source(LineConfig line, MeterRegistry metrics) {
    if (line.mqtt().isPresent()) {
      return counted(new MqttBatchSource(line.mqtt().get()), metrics);
    }
    OpcUaBatchSource source = opcua.source(line.opcua().orElseThrow());
    OpcUaLineMeters.bind(source, metrics);
    return source;
  }

  private static <C extends Connection<?>> C counted(C connection, MeterRegistry metrics) {
    FunctionCounter.builder(
            "linegate_connector_open_attempts_total", connection, Connection::openAttempts)
        .description("Times the connector tried to open its connection, successful or not")
        .tag("kind", connection.kind())
        .tag("id", connection.id())
        .register(metrics);
    return connection;
  }

  /** The lines' batch sources, in the order of the configuration. */
  List<BatchSource> lines() {
    return List.copyOf(lines);
  }

  /** Scanners by id. */
  Map<String, ScannerSource> scanners() {
    return Map.copyOf(scanners);
  }

  /** Printers by id. */
  Map<String, PrinterLink> printers() {
    return Map.copyOf(printers);
  }

  @Override
  public void close() {
    opcua.close();
  }
}
