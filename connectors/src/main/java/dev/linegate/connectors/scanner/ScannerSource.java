package dev.linegate.connectors.scanner;

import dev.linegate.connectors.ConnectorStatus;
import java.time.Instant;
import java.util.function.Consumer;

/** Stub, to be replaced by the scanner-wire branch: opens nothing and reads nothing. */
public final class ScannerSource implements AutoCloseable {

  private final ScannerSourceConfig config;

  public ScannerSource(ScannerSourceConfig config) {
    this.config = config;
  }

  public void start(Consumer<Scan> onScan) {}

  public ConnectorStatus status() {
    return new ConnectorStatus("scanner:" + config.id(), ConnectorStatus.State.STOPPED, "stub: the scanner connector is not merged yet", Instant.EPOCH, 0);
  }

  @Override
  public void close() {}
}
