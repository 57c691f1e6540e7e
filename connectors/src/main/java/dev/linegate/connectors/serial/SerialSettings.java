package dev.linegate.connectors.serial;

/** Serial line settings; the defaults are the Zebra and scanner factory settings, 9600 8N1. */
public record SerialSettings(
    int baud, int dataBits, Parity parity, StopBits stopBits, FlowControl flowControl) {

  public static final SerialSettings DEFAULT =
      new SerialSettings(9600, 8, Parity.NONE, StopBits.ONE, FlowControl.NONE);

  public enum Parity {
    NONE,
    EVEN,
    ODD,
    MARK,
    SPACE
  }

  public enum StopBits {
    ONE,
    ONE_POINT_FIVE,
    TWO
  }

  public enum FlowControl {
    NONE,
    XONXOFF,
    RTSCTS,
    DTRDSR
  }
}
