package dev.linegate.simulator.printer;

import dev.linegate.simulator.printer.Barcode.Symbology;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns {@code ^FD} data of DataMatrix and Code 128 fields into what a scanner transmits: FNC1 in
 * first position makes the symbol GS1 and is not transmitted; every later FNC1 is sent as GS.
 */
final class Gs1Symbols {
  static final char GS = 0x1D;

  /** Marks an FNC1 while decoding; a private-use char no label text contains. */
  private static final char FNC1 = '\uE001';

  /**
   * First two digits of the AIs with a predefined length (GS1 General Specifications, figure
   * 5.10.1-2): no separator is needed after them.
   */
  private static final Set<String> PREDEFINED_LENGTH =
      Set.of(
          "00", "01", "02", "03", "04", "11", "12", "13", "14", "15", "16", "17", "18", "19", "20",
          "31", "32", "33", "34", "35", "36", "41");

  private static final Pattern BRACKETED_AI = Pattern.compile("\\((\\d{2,4})\\)([^(]*)");

  private Gs1Symbols() {}

  /**
   * {@code ^BX} with quality 200: {@code <escape>1} is FNC1, {@code <escape>dNNN} a character by
   * decimal code, a doubled escape the escape character itself.
   */
  static Barcode dataMatrix(char escape, String fieldData) {
    var symbol = new StringBuilder();
    for (int i = 0; i < fieldData.length(); i++) {
      char c = fieldData.charAt(i);
      if (c != escape || i + 1 >= fieldData.length()) {
        symbol.append(c);
        continue;
      }
      char next = fieldData.charAt(i + 1);
      if (next == '1') {
        symbol.append(FNC1);
        i++;
      } else if (next == escape) {
        symbol.append(escape);
        i++;
      } else if (next == 'd' && digits(fieldData, i + 2, 3)) {
        symbol.append((char) Integer.parseInt(fieldData.substring(i + 2, i + 5)));
        i += 4;
      } else {
        symbol.append(c);
      }
    }
    return transmitted(Symbology.DATAMATRIX, symbol, fieldData);
  }

  /**
   * {@code ^BC}: in mode D (UCC/EAN) the data is {@code (AI)value...} and the printer adds FNC1
   * first and after each variable-length value that is not last; in the other modes {@code >8} is
   * FNC1 and the other {@code >} invocation codes switch code sets or stand for one character.
   */
  static Barcode code128(String mode, String fieldData) {
    if (mode.equalsIgnoreCase("D")) {
      return modeD(fieldData);
    }
    var symbol = new StringBuilder();
    for (int i = 0; i < fieldData.length(); i++) {
      char c = fieldData.charAt(i);
      if (c != '>' || i + 1 >= fieldData.length()) {
        symbol.append(c);
        continue;
      }
      char code = fieldData.charAt(++i);
      switch (code) {
        case '8' -> symbol.append(FNC1);
        case '<' -> symbol.append('>');
        case '=' -> symbol.append('~');
        case '5', '6', '7', '9', ':', ';' -> {
          // Start or switch code set: nothing a scanner transmits.
        }
        default -> symbol.append(c).append(code);
      }
    }
    return transmitted(Symbology.CODE128, symbol, fieldData);
  }

  private static Barcode modeD(String fieldData) {
    Matcher ai = BRACKETED_AI.matcher(fieldData);
    var symbol = new StringBuilder().append(FNC1);
    boolean separatorPending = false;
    int consumed = 0;
    while (ai.find() && ai.start() == consumed) {
      if (separatorPending) {
        symbol.append(FNC1);
      }
      symbol.append(ai.group(1)).append(ai.group(2));
      separatorPending = !PREDEFINED_LENGTH.contains(ai.group(1).substring(0, 2));
      consumed = ai.end();
    }
    // Unbracketed data in mode D: the printer only adds the leading FNC1.
    symbol.append(fieldData, consumed, fieldData.length());
    return transmitted(Symbology.CODE128, symbol, fieldData);
  }

  private static Barcode transmitted(Symbology symbology, CharSequence symbol, String fieldData) {
    boolean gs1 = symbol.length() > 0 && symbol.charAt(0) == FNC1;
    String body = (gs1 ? symbol.subSequence(1, symbol.length()) : symbol).toString();
    return new Barcode(symbology, gs1, body.replace(FNC1, GS), fieldData);
  }

  private static boolean digits(String s, int from, int count) {
    if (from + count > s.length()) {
      return false;
    }
    for (int i = from; i < from + count; i++) {
      if (!Character.isDigit(s.charAt(i))) {
        return false;
      }
    }
    return true;
  }
}
