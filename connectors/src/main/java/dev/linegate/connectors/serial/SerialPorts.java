package dev.linegate.connectors.serial;

import com.fazecast.jSerialComm.SerialPort;
import com.fazecast.jSerialComm.SerialPortInvalidPortException;
import java.io.IOException;
import java.time.Duration;

/**
 * Opens serial ports the same way for printers and scanners: line settings and flow control from
 * {@link SerialSettings}, and a failure message that names the port and says what to check.
 */
public final class SerialPorts {
  private static final int ENOENT = 2;
  private static final int EACCES = 13;
  private static final int EBUSY = 16;

  private SerialPorts() {}

  /**
   * Opens {@code path} (a device such as {@code /dev/ttyUSB0}, or a pty link) with semi-blocking
   * reads (a read returns what is there, or 0 after {@code readTimeout}; Linux counts it in tenths
   * of a second, so give at least 100 ms) and plain writes.
   *
   * <p>Writes get no timeout here on purpose: jSerialComm's write timeout works on Windows only; on
   * Linux a write is a blocking {@code write()}, and {@code TIMEOUT_WRITE_BLOCKING} adds a {@code
   * tcdrain()} that waits for ever while flow control holds the line. Bound writes in the caller
   * (see {@code SerialWire}).
   *
   * @throws IOException naming the port when it does not exist or cannot be opened
   */
  public static SerialPort open(String path, SerialSettings settings, Duration readTimeout)
      throws IOException {
    SerialPort port;
    try {
      port = SerialPort.getCommPort(path);
    } catch (SerialPortInvalidPortException e) {
      throw new IOException("serial port " + path + " does not exist", e);
    }
    port.setComPortParameters(
        settings.baud(), settings.dataBits(), stopBits(settings), parity(settings));
    port.setFlowControl(flowControl(settings.flowControl()));
    port.setComPortTimeouts(SerialPort.TIMEOUT_READ_SEMI_BLOCKING, millis(readTimeout), 0);
    // Only the result counts: after opening a pty, getLastErrorCode() shows 25 (ENOTTY) although
    // the open succeeded.
    if (!port.openPort()) {
      throw new IOException(
          "cannot open serial port " + path + ": " + why(port.getLastErrorCode()));
    }
    return port;
  }

  /** The flags jSerialComm wants for each kind of flow control; both directions. */
  static int flowControl(SerialSettings.FlowControl flowControl) {
    return switch (flowControl) {
      case NONE -> SerialPort.FLOW_CONTROL_DISABLED;
      case XONXOFF ->
          SerialPort.FLOW_CONTROL_XONXOFF_IN_ENABLED | SerialPort.FLOW_CONTROL_XONXOFF_OUT_ENABLED;
      case RTSCTS -> SerialPort.FLOW_CONTROL_RTS_ENABLED | SerialPort.FLOW_CONTROL_CTS_ENABLED;
      case DTRDSR -> SerialPort.FLOW_CONTROL_DTR_ENABLED | SerialPort.FLOW_CONTROL_DSR_ENABLED;
    };
  }

  private static int stopBits(SerialSettings settings) {
    return switch (settings.stopBits()) {
      case ONE -> SerialPort.ONE_STOP_BIT;
      case ONE_POINT_FIVE -> SerialPort.ONE_POINT_FIVE_STOP_BITS;
      case TWO -> SerialPort.TWO_STOP_BITS;
    };
  }

  private static int parity(SerialSettings settings) {
    return switch (settings.parity()) {
      case NONE -> SerialPort.NO_PARITY;
      case EVEN -> SerialPort.EVEN_PARITY;
      case ODD -> SerialPort.ODD_PARITY;
      case MARK -> SerialPort.MARK_PARITY;
      case SPACE -> SerialPort.SPACE_PARITY;
    };
  }

  private static String why(int errno) {
    return switch (errno) {
      case ENOENT -> "no such device (unplugged?)";
      case EACCES -> "permission denied (is the gateway's user in the dialout group?)";
      case EBUSY -> "device busy (another program has it open?)";
      default -> "error " + errno;
    };
  }

  private static int millis(Duration duration) {
    return (int) Math.min(Integer.MAX_VALUE, Math.max(1, duration.toMillis()));
  }
}
