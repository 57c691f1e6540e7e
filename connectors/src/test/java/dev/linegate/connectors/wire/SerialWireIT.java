package dev.linegate.connectors.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fazecast.jSerialComm.SerialPort;
import dev.linegate.connectors.serial.SerialSettings;
import dev.linegate.connectors.serial.SerialSettings.FlowControl;
import dev.linegate.connectors.serial.SerialSettings.Parity;
import dev.linegate.connectors.serial.SerialSettings.StopBits;
import dev.linegate.simulator.serial.VirtualSerialPair;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SerialWire over a socat pty pair, the far end opened directly: a device that holds the line must
 * make a write fail within the write timeout, not hang the caller for ever.
 */
class SerialWireIT {
  private static final Duration WRITE_TIMEOUT = Duration.ofMillis(500);

  /** A liveness bound: far above the write timeout, only there so a hang fails the test. */
  private static final Duration HANG = Duration.ofSeconds(10);

  private static final byte XON = 0x11;
  private static final byte XOFF = 0x13;

  @TempDir Path dir;
  private VirtualSerialPair cable;
  private SerialPort device;
  private SerialWire wire;
  private final ByteArrayOutputStream received = new ByteArrayOutputStream();

  @BeforeEach
  void plugIn() throws Exception {
    cable = VirtualSerialPair.create(dir, "wire");
    device = SerialPort.getCommPort(cable.b().toString());
    device.setComPortTimeouts(SerialPort.TIMEOUT_NONBLOCKING, 0, 0);
    assertThat(device.openPort()).as("far end open").isTrue();
  }

  @AfterEach
  void unplug() {
    if (wire != null) {
      wire.close();
    }
    device.closePort();
    cable.close();
  }

  /** A printer in paper out sends XOFF and no XON: the write gives up and says so. */
  @Test
  void aWriteHeldByXoffFailsWithinTheWriteTimeoutAndWorksAgainAfterXon() throws Exception {
    wire = SerialWire.open(cable.a().toString(), settings(FlowControl.XONXOFF), WRITE_TIMEOUT);
    wire.write(ascii("before"));
    awaitReceived("before");

    device.writeBytes(new byte[] {XOFF}, 1);
    byte[] big = filled(64 * 1024);
    long start = System.nanoTime();
    assertTimeoutPreemptively(
        HANG,
        () ->
            assertThatThrownBy(() -> wire.write(big))
                .isInstanceOf(Wire.StalledException.class)
                .hasMessageContaining("took no data for 500 ms")
                .hasMessageContaining("of 65536 bytes sent"));
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(WRITE_TIMEOUT);

    device.writeBytes(new byte[] {XON}, 1);
    assertTimeoutPreemptively(HANG, () -> wire.write(ascii("after XON")));
    awaitReceived("after XON");
  }

  /**
   * A device that takes nothing (CTS dropped; here a far end that never reads, so the pty buffers
   * fill): the same bounded failure, and the wire works once the device reads again.
   */
  @Test
  void aWriteTheDeviceNeverTakesFailsWithinTheWriteTimeout() throws Exception {
    wire = SerialWire.open(cable.a().toString(), settings(FlowControl.NONE), WRITE_TIMEOUT);
    byte[] big = filled(1024 * 1024);

    assertTimeoutPreemptively(
        HANG,
        () ->
            assertThatThrownBy(() -> wire.write(big))
                .isInstanceOf(Wire.StalledException.class)
                .hasMessageContaining("of 1048576 bytes sent"));

    await().until(() -> drain().size() > 0 && device.bytesAvailable() == 0);
    assertTimeoutPreemptively(HANG, () -> wire.write(ascii("taken again")));
    awaitReceived("taken again");
  }

  /**
   * The port's read timeout is set once at open (100 ms): a shorter read still waits that slice
   * instead of returning at once, so a caller looping on read does not spin.
   */
  @Test
  void aShortReadWaitsOneSliceAndALongOneReturnsWhatCame() throws Exception {
    wire = SerialWire.open(cable.a().toString(), settings(FlowControl.NONE), WRITE_TIMEOUT);
    byte[] buffer = new byte[64];

    long start = System.nanoTime();
    assertThat(wire.read(buffer, Duration.ofMillis(5))).isZero();
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .isGreaterThanOrEqualTo(Duration.ofMillis(80));

    device.writeBytes(ascii("scan"), 4);
    int read = wire.read(buffer, Duration.ofSeconds(5));
    assertThat(new String(buffer, 0, read, StandardCharsets.US_ASCII))
        .isNotEmpty()
        .isSubstringOf("scan");
  }

  private void awaitReceived(String text) {
    await()
        .atMost(HANG)
        .until(() -> new String(drain().toByteArray(), StandardCharsets.ISO_8859_1).endsWith(text));
  }

  /** Everything the far end has received so far. */
  private ByteArrayOutputStream drain() {
    byte[] buffer = new byte[8192];
    int read;
    while ((read = device.readBytes(buffer, buffer.length)) > 0) {
      received.write(buffer, 0, read);
    }
    return received;
  }

  private static SerialSettings settings(FlowControl flowControl) {
    return new SerialSettings(9600, 8, Parity.NONE, StopBits.ONE, flowControl);
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }

  private static byte[] filled(int size) {
    byte[] bytes = new byte[size];
    Arrays.fill(bytes, (byte) 'Z');
    return bytes;
  }
}
