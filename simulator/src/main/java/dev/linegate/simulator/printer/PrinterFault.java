package dev.linegate.simulator.printer;

import java.util.Arrays;
import java.util.Locale;

/** What stops a printer; in any of these nothing prints and received labels stay buffered. */
public enum PrinterFault {
  NONE,
  PAPER_OUT,
  HEAD_OPEN,
  RIBBON_OUT,
  PAUSE;

  /** A real Zebra does not answer {@code ~HS} in these states (DOMAIN section 5). */
  boolean silencesHostStatus() {
    return this == PAPER_OUT || this == HEAD_OPEN || this == RIBBON_OUT;
  }

  /** The name used on the control port: {@code paper-out}, {@code none}... */
  public String slug() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  public static PrinterFault fromSlug(String slug) {
    return Arrays.stream(values())
        .filter(f -> f.slug().equals(slug))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "fault must be paper-out, head-open, ribbon-out, pause or none, not '"
                        + slug
                        + "'"));
  }
}
