package dev.linegate.connectors;

/**
 * What every connector of the gateway is, input or output: a named connection to one device or
 * server ({@code kind:id} in /health and {@code linegate_connector_up{kind,id}}) that says what it
 * is doing and can be closed. The gateway builds them all in one place from the configuration.
 *
 * <p>The ones that keep a connection open by themselves extend {@link Connection}, which owns their
 * thread, the reconnect with backoff, the status and the close: {@code MqttBatchSource}, {@code
 * ScannerSource}, the OPC UA session shared by a PLC's lines, and the output {@code PrinterLink}.
 * Inputs hand the gateway a typed delivery ({@code BatchSignal}, {@code Scan}) on that thread; a
 * delivery's acknowledgment runs back on it. An output's calls run on it and hand back their
 * outcome.
 */
public interface Connector extends AutoCloseable {

  /**
   * The transport or device type: {@code mqtt}, {@code opcua}, {@code scanner}, {@code printer}.
   */
  String kind();

  /** The line or device it serves, unique within its kind. */
  String id();

  /** For /health and the metrics; may be read from any thread. */
  ConnectorStatus status();

  /** Disconnects and stops its thread; what was not acknowledged is delivered again later. */
  @Override
  void close();
}
