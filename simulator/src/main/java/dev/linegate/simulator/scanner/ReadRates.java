package dev.linegate.simulator.scanner;

/**
 * How badly the scanner reads labels back.
 *
 * @param noRead share of labels not read at all (the operator's scan is lost), 0 to 1
 * @param misread share of the labels read whose data comes out with one character changed, 0 to 1
 */
public record ReadRates(double noRead, double misread) {

  public static final ReadRates PERFECT = new ReadRates(0, 0);

  public ReadRates {
    if (!(noRead >= 0 && noRead <= 1)) {
      throw new IllegalArgumentException("noRead must be between 0 and 1, not " + noRead);
    }
    if (!(misread >= 0 && misread <= 1)) {
      throw new IllegalArgumentException("misread must be between 0 and 1, not " + misread);
    }
  }
}
