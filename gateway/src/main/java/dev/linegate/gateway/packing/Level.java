package dev.linegate.gateway.packing;

import java.util.Locale;

/** A level of packaging: units go into a case, cases onto a pallet. */
public enum Level {
  CASE,
  PALLET;

  public String column() {
    return name().toLowerCase(Locale.ROOT);
  }

  static Level of(String column) {
    return valueOf(column.toUpperCase(Locale.ROOT));
  }
}
