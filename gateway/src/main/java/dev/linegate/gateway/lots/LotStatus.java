package dev.linegate.gateway.lots;

import java.util.Arrays;
import java.util.Optional;

/** The status of a lot as stored in {@code lots.status}, and the changes an operator may make. */
public enum LotStatus {
  RELEASED("released"),
  ON_HOLD("on-hold"),
  RECALLED("recalled");

  private final String text;

  LotStatus(String text) {
    this.text = text;
  }

  public String text() {
    return text;
  }

  public static Optional<LotStatus> of(String text) {
    return Arrays.stream(values()).filter(s -> s.text.equals(text)).findFirst();
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
