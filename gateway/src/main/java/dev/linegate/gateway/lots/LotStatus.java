package dev.linegate.gateway.lots;

import java.util.Arrays;
import java.util.Optional;

/** The status of a lot as stored in {@code lots.status}, and the changes an operator may make. */
public enum LotStatus {
  RELEASED("released", "release"),
  ON_HOLD("on-hold", "hold"),
  RECALLED("recalled", "recall");

  private final String text;
  private final String verb;

  LotStatus(String text, String verb) {
    this.text = text;
    this.verb = verb;
  }

  /** What the change to this status is called: its path in the API, its action in the audit. */
  public String verb() {
    return verb;
  }

  public String text() {
    return text;
  }

  public static Optional<LotStatus> of(String text) {
    return Arrays.stream(values()).filter(s -> s.text.equals(text)).findFirst();
  }

  /**
   * Releasing or recalling a lot is a decision someone answers for (SPEC section 11): it is signed.
   * A hold only stops, and anyone allowed may stop.
   */
  public boolean signed() {
    return this != ON_HOLD;
  }

  /** Recalled is final: goods in the field are not un-recalled by a click. */
  boolean mayBecome(LotStatus next) {
    return switch (this) {
      case RELEASED -> next == ON_HOLD || next == RECALLED;
      case ON_HOLD -> next == RELEASED || next == RECALLED;
      case RECALLED -> false;
    };
  }
}
