package dev.linegate.gateway.gs1;

/** Scanned text made safe to show an operator: control characters named, long text cut short. */
final class Printable {

  private static final int MAX_SHOWN = 40;

  private Printable() {}

  /** {@code text} in quotes, with GS shown as {@code <GS>} and other control characters as hex. */
  static String quote(String text) {
    StringBuilder out = new StringBuilder("\"");
    int shown = Math.min(text.length(), MAX_SHOWN);
    for (int i = 0; i < shown; i++) {
      char c = text.charAt(i);
      out.append(c < 0x20 || c == 0x7F ? "<" + describe(c) + ">" : String.valueOf(c));
    }
    return out.append(text.length() > shown ? "…\"" : "\"").toString();
  }

  static String describe(char c) {
    if (c == 0x1D) {
      return "GS";
    }
    if (c == ' ') {
      return "space";
    }
    if (c < 0x20 || c >= 0x7F) {
      return String.format("0x%02X", (int) c);
    }
    return "'" + c + "'";
  }
}
