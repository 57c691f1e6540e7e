package dev.linegate.connectors.serial;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SerialPortsTest {
  @TempDir Path dir;

  /** An operator reading the log must learn which port is missing. */
  @Test
  void aMissingPortIsNamedInTheFailure() {
    Path missing = dir.resolve("ttyUSB9");

    assertThatThrownBy(
            () ->
                SerialPorts.open(
                    missing.toString(), SerialSettings.DEFAULT, Duration.ofMillis(100)))
        .isInstanceOf(IOException.class)
        .hasMessage("serial port " + missing + " does not exist");
  }
}
