package dev.linegate.gateway.lots;

/** A lot status change that cannot be made, with the reason shown to the operator. */
public final class LotStatusRefused extends Exception {

  public enum Kind {
    NOT_FOUND,
    CONFLICT
  }

  private final Kind kind;
  private final String detail;

  LotStatusRefused(Kind kind, String message, String detail) {
    super(message);
    this.kind = kind;
    this.detail = detail;
  }

  public Kind kind() {
    return kind;
  }

  public String detail() {
    return detail;
  }
}
