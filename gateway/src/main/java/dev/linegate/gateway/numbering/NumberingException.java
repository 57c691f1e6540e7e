package dev.linegate.gateway.numbering;

/** A batch cannot be numbered (a counter or a serial range is used up): it becomes a reject. */
public final class NumberingException extends Exception {

  public NumberingException(String message) {
    super(message);
  }
}
