package dev.linegate.gateway.gs1;

/**
 * A scan that is not valid GS1 data; the message is the reason, short enough to show an operator.
 */
public final class Gs1Exception extends Exception {

  private static final long serialVersionUID = 1L;

  public Gs1Exception(String reason) {
    super(reason);
  }

  /**
   * Why the scan was refused, such as {@code check digit of GTIN 09506000134353 is wrong: expected
   * 2}.
   */
  public String reason() {
    return String.valueOf(getMessage());
  }
}
