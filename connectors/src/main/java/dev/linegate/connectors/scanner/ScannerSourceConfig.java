package dev.linegate.connectors.scanner;

import dev.linegate.connectors.serial.SerialSettings;

/** Stub, to be replaced by the scanner-wire branch. */
public record ScannerSourceConfig(String id, String port, SerialSettings serial) {

  public static ScannerSourceConfig of(String id, String port, SerialSettings serial) {
    return new ScannerSourceConfig(id, port, serial);
  }
}
