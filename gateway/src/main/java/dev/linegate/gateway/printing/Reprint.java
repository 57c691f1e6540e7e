package dev.linegate.gateway.printing;

import java.time.Instant;

/** A reprint that was queued: which job prints which label again, who asked and why. */
public record Reprint(
    long job,
    String printer,
    String serial,
    String lot,
    Label label,
    String reason,
    String requestedBy,
    Instant requestedAt) {

  /**
   * What is printed again: the serial's own label, or its lot's label on a line that prints lot
   * labels.
   */
  public enum Label {
    UNIT,
    LOT
  }
}
