package dev.linegate.gateway.gs1;

import java.util.List;

/**
 * The bar code a scan came from, as its AIM symbology identifier ({@code ]d2} and so on) tells,
 * when the scanner is set to send one. It says what the data may be: element strings come only from
 * the GS1 symbologies, a Digital Link URI may come from any.
 */
public enum Symbology {
  /** The scanner sent no AIM identifier. */
  NONE(Kind.ANY, "no symbology identifier"),
  GS1_128(Kind.GS1, "GS1-128", "]C1"),
  GS1_DATAMATRIX(Kind.GS1, "GS1 DataMatrix", "]d2", "]d5"),
  GS1_QR(Kind.GS1, "GS1 QR Code", "]Q3", "]Q4"),
  GS1_DATABAR(Kind.GS1, "GS1 DataBar", "]e0"),
  /** EAN-13 and UPC-A (sent as 13 digits, some scanners send UPC-A as 12). */
  EAN_13(Kind.RETAIL, "EAN-13/UPC-A", "]E0"),
  EAN_8(Kind.RETAIL, "EAN-8", "]E4"),
  CODE_128(Kind.PLAIN, "plain Code 128", "]C0"),
  DATAMATRIX(Kind.PLAIN, "plain DataMatrix", "]d1", "]d4"),
  QR(Kind.PLAIN, "plain QR Code", "]Q1", "]Q2"),
  /** Any other AIM identifier. */
  OTHER(Kind.PLAIN, "other symbology");

  /** What data the symbology can carry besides a Digital Link URI. */
  enum Kind {
    ANY,
    GS1,
    RETAIL,
    PLAIN
  }

  private final Kind kind;
  private final String displayName;
  private final List<String> aimIds;

  Symbology(Kind kind, String displayName, String... aimIds) {
    this.kind = kind;
    this.displayName = displayName;
    this.aimIds = List.of(aimIds);
  }

  /** The symbology of a three-character AIM identifier such as {@code ]d2}. */
  public static Symbology ofAimId(String aimId) {
    for (Symbology s : values()) {
      if (s.aimIds.contains(aimId)) {
        return s;
      }
    }
    return OTHER;
  }

  public String displayName() {
    return displayName;
  }

  Kind kind() {
    return kind;
  }
}
