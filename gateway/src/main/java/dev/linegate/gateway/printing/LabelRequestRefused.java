package dev.linegate.gateway.printing;

/** An operator's label request that cannot be done, with the reason shown to the operator. */
public final class LabelRequestRefused extends Exception {

  public enum Kind {
    NOT_FOUND,
    CONFLICT
  }

  private final Kind kind;
  private final String detail;

  LabelRequestRefused(Kind kind, String message, String detail) {
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
