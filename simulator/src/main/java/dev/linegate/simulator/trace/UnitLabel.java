package dev.linegate.simulator.trace;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;

/**
 * What a unit label's GS1 DataMatrix holds, as the gateway's template prints it: (01) GTIN, (17)
 * expiry, (10) lot, (21) serial. The lot is variable-length, so a GS (FNC1) ends it before the
 * serial; the serial is last and needs none.
 */
record UnitLabel(String gtin, LocalDate expiry, String lot, String serial) {
  private static final char GS = 0x1D;
  private static final DateTimeFormatter YYMMDD = DateTimeFormatter.ofPattern("yyMMdd");

  /** The element string as a scanner sends it, without the AIM identifier. */
  String elementString() {
    return "01" + gtin + "17" + YYMMDD.format(expiry) + "10" + lot + GS + "21" + serial;
  }
}
