package dev.linegate.gateway.lots;

import java.util.Set;

/**
 * What becomes of a serial besides being printed and verified (SPEC section 9), always with a
 * reason. A serial never goes back to {@code assigned} and is never issued again.
 */
public enum SerialFate {
  /** The label was destroyed (damaged, smudged): only a label that exists can be scrapped. */
  SCRAP("scrap", "rejected", Set.of("printed", "verified")),
  /** The unit was taken for QA. */
  SAMPLE("sample", "sampled", Set.of("assigned", "printed", "verified")),
  /** Never to be used, e.g. a lost label. */
  VOID("void", "voided", Set.of("assigned", "printed", "verified"));

  private final String verb;
  private final String status;
  private final Set<String> from;

  SerialFate(String verb, String status, Set<String> from) {
    this.verb = verb;
    this.status = status;
    this.from = from;
  }

  /** Its path in the API and its action in the audit trail ({@code serial.scrap}). */
  public String verb() {
    return verb;
  }

  /** The serial's status afterwards. */
  public String status() {
    return status;
  }

  boolean mayFollow(String current) {
    return from.contains(current);
  }
}
