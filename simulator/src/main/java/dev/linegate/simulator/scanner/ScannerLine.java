package dev.linegate.simulator.scanner;

/**
 * The scanner's end of its line to the gateway: a serial port ({@link SerialLine}), or a TCP port
 * the gateway connects to, as to a scanner behind a serial device server ({@link TcpLine}).
 */
interface ScannerLine extends AutoCloseable {

  /** The gateway's end is there: the port is open, or a connection is. */
  boolean connected();

  /**
   * Sends {@code bytes} whole.
   *
   * @throws IllegalStateException when the line is out (cable pulled, no connection) or is lost
   *     during the write
   */
  void write(byte[] bytes);

  /** Where it is: the serial device it has open, or {@code tcp://host:port} where it listens. */
  String endpoint();

  @Override
  void close();
}
