package dev.linegate.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class SimulatorMainTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @Test
  void helpListsTheCommands() {
    assertThat(run("--help")).isZero();
    assertThat(out.toString())
        .contains("broker", "mqtt-plc", "erp", "printer", "scanner", "load", "demo");
  }

  @Test
  void anUnknownOptionIsBadUsage() {
    assertThat(run("mqtt-plc", "--no-such-option")).isEqualTo(2);
    assertThat(err.toString()).contains("--no-such-option");
  }

  @Test
  void aMissingCommandIsBadUsage() {
    assertThat(run()).isEqualTo(2);
  }

  /** A printer with no wire at all is a mistake the command must name. */
  @Test
  void aPrinterWithoutSerialOrTcpIsBadUsage() {
    assertThat(run("printer", "--control-port", "0")).isEqualTo(2);
    assertThat(err.toString()).contains("--serial", "--tcp-port");
  }

  @Test
  void aScannerNeedsExactlyOneOfSerialAndPtyDir() {
    assertThat(run("scanner", "--control-port", "0")).isEqualTo(2);
    assertThat(err.toString()).contains("--serial", "--pty-dir");
    assertThat(run("scanner", "--serial", "/dev/null", "--pty-dir", "/tmp/x")).isEqualTo(2);
  }

  @Test
  void aScannerTerminatorMustBeCrLfOrCrlf() {
    assertThat(run("scanner", "--serial", "/dev/ttyNothing", "--terminator", "tab")).isEqualTo(2);
    assertThat(err.toString()).contains("--terminator");
  }

  @Test
  void countAndDurationTogetherAreBadUsage() {
    assertThat(run("load", "--count", "10", "--duration", "10s")).isEqualTo(2);
  }

  /** Values that parse but make no sense are found by the command, and are still bad usage. */
  @Test
  void aRateOfZeroIsBadUsage() {
    assertThat(run("mqtt-plc", "--broker", "tcp://127.0.0.1:1", "--rate", "0")).isEqualTo(2);
    assertThat(err.toString()).contains("rate");
  }

  @Test
  void aBrokerThatCannotBeReachedIsARuntimeFailure() {
    assertThat(run("mqtt-plc", "--broker", "tcp://127.0.0.1:1", "--count", "1")).isEqualTo(1);
  }

  private int run(String... args) {
    return SimulatorMain.commandLine()
        .setOut(new PrintWriter(out, true))
        .setErr(new PrintWriter(err, true))
        .execute(args);
  }
}
