package dev.linegate.gateway.store;

/**
 * A request the recorded state does not allow (an unknown lot, a lot already recalled...), or whose
 * own content cannot be used (a name a user cannot have), with the reason shown to whoever asked.
 * It is decided before anything is changed.
 */
public final class Refused extends Exception {

  public enum Kind {
    NOT_FOUND,
    CONFLICT,
    INVALID
  }

  private final Kind kind;
  private final String detail;

  public Refused(Kind kind, String message, String detail) {
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
