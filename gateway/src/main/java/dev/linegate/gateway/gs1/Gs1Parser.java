package dev.linegate.gateway.gs1;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads what a scanner sends (the terminator stripped) into GS1 data, or says in a line why it is
 * not: an optional AIM symbology identifier, then an element string with GS as FNC1, bracketed
 * human-readable text, a GS1 Digital Link URI, or an EAN/UPC number.
 */
public final class Gs1Parser {

  private static final char GS = 0x1D;
  private static final Pattern BRACKETED_AI = Pattern.compile("\\((\\d{2,4})\\)");

  private Gs1Parser() {}

  /**
   * @throws Gs1Exception with the reason an operator sees when the scan holds no valid GS1 data
   */
  public static Gs1Scan parse(String scan) throws Gs1Exception {
    // A scanner ending lines with CR LF, read by a reader that splits on CR, leaves LF in front.
    String text = scan.replaceAll("^[\r\n]+|[\r\n]+$", "");
    Symbology symbology = Symbology.NONE;
    if (text.startsWith("]") && text.length() >= 3) {
      symbology = Symbology.ofAimId(text.substring(0, 3));
      if (symbology.kind() == Symbology.Kind.PLAIN
          && !DigitalLink.looksLikeUri(text.substring(3))) {
        throw new Gs1Exception(
            "no GS1 data: "
                + symbology.displayName()
                + " ("
                + text.substring(0, 3)
                + "), not a GS1 bar code");
      }
      text = text.substring(3);
    }
    return new Gs1Scan(symbology, read(symbology, text));
  }

  private static Gs1Data read(Symbology symbology, String text) throws Gs1Exception {
    if (text.isEmpty()) {
      throw new Gs1Exception("no GS1 data: empty scan");
    }
    if (DigitalLink.looksLikeUri(text)) {
      return DigitalLink.parse(text);
    }
    if (symbology.kind() == Symbology.Kind.RETAIL
        || (symbology == Symbology.NONE && looksRetail(text))) {
      return retail(symbology, text);
    }
    int start = 0;
    while (start < text.length() && text.charAt(start) == GS) {
      start++; // FNC1 in first position, sent by some scanners as GS
    }
    String body = text.substring(start);
    if (body.startsWith("(")) {
      return bracketed(body);
    }
    if (body.length() < 2 || !Gs1Ai.allDigits(body.substring(0, 2))) {
      throw new Gs1Exception("no GS1 data: " + Printable.quote(text));
    }
    return elementString(body);
  }

  /**
   * With AIM identifiers off, 12 or 13 digits are read as UPC-A/EAN-13: an element string that
   * short cannot hold a GTIN, so it is rare on a product. Eight digits may be an EAN-8 or a lone
   * date, (17)281122: they are an EAN-8 unless they start with an AI. Turning AIM identifiers on
   * settles both.
   */
  private static boolean looksRetail(String text) {
    boolean eanLength = text.length() == 12 || text.length() == 13;
    boolean ean8 = text.length() == 8 && Gs1Ai.byCode(text.substring(0, 2)).isEmpty();
    return (eanLength || ean8) && Gs1Ai.allDigits(text);
  }

  private static Gs1Data retail(Symbology symbology, String text) throws Gs1Exception {
    boolean fits =
        switch (symbology) {
          case EAN_8 -> text.length() == 8;
          case EAN_13 -> text.length() == 12 || text.length() == 13;
          default -> true; // no AIM identifier: looksRetail has checked the length
        };
    if (!fits || !Gs1Ai.allDigits(text)) {
      throw new Gs1Exception(
          symbology.displayName()
              + " must be "
              + (symbology == Symbology.EAN_8 ? "8" : "12 or 13")
              + " digits: "
              + Printable.quote(text));
    }
    Elements elements = new Elements();
    elements.add(Gs1Ai.GTIN, Gtin.toGtin14(text));
    return elements.toData(text);
  }

  /** AI, value, AI, value...: fixed-length values end by length, variable ones at GS or the end. */
  private static Gs1Data elementString(String text) throws Gs1Exception {
    Elements elements = new Elements();
    String previous = "the start";
    int pos = 0;
    while (pos < text.length()) {
      if (text.charAt(pos) == GS) {
        pos++; // tolerated after a fixed-length field and at the end, where some printers put one
        continue;
      }
      String rest = text.substring(pos);
      if (rest.length() < 2 || !Gs1Ai.allDigits(rest.substring(0, 2))) {
        throw new Gs1Exception("unexpected " + Printable.quote(rest) + " after " + previous);
      }
      Gs1Ai ai = Gs1Ai.byCode(rest.substring(0, 2)).orElse(null);
      if (ai == null) {
        throw new Gs1Exception("unsupported AI at " + Printable.quote(rest));
      }
      int valueStart = pos + 2;
      int gs = text.indexOf(GS, valueStart);
      int end = gs < 0 ? text.length() : gs;
      if (ai.predefinedLength()) {
        end = Math.min(end, valueStart + ai.maxLength());
      } else if (end - valueStart > ai.maxLength()) {
        throw new Gs1Exception(
            ai.displayName()
                + " is "
                + (end - valueStart)
                + " characters, at most "
                + ai.maxLength()
                + ": separator missing after it?");
      }
      elements.add(ai, text.substring(valueStart, end));
      previous = "(" + ai.code() + ")";
      pos = end;
    }
    return elements.toData(text);
  }

  /**
   * {@code (01)...(10)...}: a value runs to the next bracketed AI, so lengths are checked, not
   * assumed.
   */
  private static Gs1Data bracketed(String text) throws Gs1Exception {
    Matcher m = BRACKETED_AI.matcher(text);
    if (!m.lookingAt()) {
      throw new Gs1Exception("no GS1 data: " + Printable.quote(text));
    }
    Elements elements = new Elements();
    String code = m.group(1);
    int valueStart = m.end();
    while (true) {
      boolean more = m.find();
      String value = text.substring(valueStart, more ? m.start() : text.length()).strip();
      Gs1Ai ai = Gs1Ai.byCode(code).orElse(null);
      if (ai == null) {
        throw new Gs1Exception("unsupported AI (" + code + ")");
      }
      elements.add(ai, value);
      if (!more) {
        return elements.toData(text);
      }
      code = m.group(1);
      valueStart = m.end();
    }
  }
}
