package dev.linegate.gateway.gs1;

import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The GS1 application identifiers the gateway prints and reads. The declaration order is the
 * canonical order of an element string: predefined-length AIs first, variable-length ones last, so
 * a separator is needed only between variable-length fields.
 */
public enum Gs1Ai {
  SSCC("00", "SSCC", Format.KEY, 18),
  GTIN("01", "GTIN", Format.KEY, 14),
  /** The GTIN of the trade items in a logistic unit (a case's units), with (37) their count. */
  CONTENT("02", "content GTIN", Format.KEY, 14),
  PRODUCTION_DATE("11", "production date", Format.DATE, 6),
  EXPIRY_DATE("17", "expiry date", Format.DATE, 6),
  LOT("10", "lot", Format.CSET82, 20),
  SERIAL("21", "serial", Format.CSET82, 20),
  COUNT("37", "count", Format.DIGITS, 8);

  /** How a value is checked; KEY and DATE are fixed length, the others variable. */
  private enum Format {
    KEY,
    DATE,
    CSET82,
    DIGITS
  }

  private final String code;
  private final String displayName;
  private final Format format;
  private final int maxLength;

  Gs1Ai(String code, String displayName, Format format, int maxLength) {
    this.code = code;
    this.displayName = displayName;
    this.format = format;
    this.maxLength = maxLength;
  }

  /** The digits of the AI, such as {@code "01"}. */
  public String code() {
    return code;
  }

  /** What operators read in messages, such as {@code "expiry date"}. */
  public String displayName() {
    return displayName;
  }

  /** The exact length of a predefined-length AI, the maximum of a variable-length one. */
  public int maxLength() {
    return maxLength;
  }

  /** Whether the value has a predefined length, so that no separator is needed after it. */
  public boolean predefinedLength() {
    return format == Format.KEY || format == Format.DATE;
  }

  public static Optional<Gs1Ai> byCode(String code) {
    for (Gs1Ai ai : values()) {
      if (ai.code.equals(code)) {
        return Optional.of(ai);
      }
    }
    return Optional.empty();
  }

  /**
   * Why {@code value} is not valid for this AI, in words an operator can act on; empty when it is
   * valid.
   */
  Optional<String> problemWith(String value) {
    if (value.isEmpty()) {
      return Optional.of(displayName + " is empty");
    }
    return Optional.ofNullable(
        switch (format) {
          case KEY -> keyProblem(value);
          case DATE -> dateProblem(value);
          case CSET82 -> cset82Problem(value);
          case DIGITS -> digitsProblem(value);
        });
  }

  private @Nullable String keyProblem(String value) {
    if (!allDigits(value)) {
      return displayName + " must be digits: " + Printable.quote(value);
    }
    if (value.length() != maxLength) {
      return displayName
          + " must be "
          + maxLength
          + " digits, not "
          + value.length()
          + ": "
          + Printable.quote(value);
    }
    if (!Gtin.hasValidCheckDigit(value)) {
      return "check digit of "
          + displayName
          + " "
          + value
          + " is wrong: expected "
          + Gtin.checkDigit(value.substring(0, maxLength - 1));
    }
    return null;
  }

  private @Nullable String dateProblem(String value) {
    if (value.length() != 6 || !allDigits(value)) {
      return displayName + " must be 6 digits (YYMMDD): " + Printable.quote(value);
    }
    if (Yymmdd.parse(value, this == EXPIRY_DATE).isEmpty()) {
      return displayName
          + " "
          + value
          + " is not a valid date (YYMMDD"
          + (this == EXPIRY_DATE ? ", day 00 = end of month)" : ")");
    }
    return null;
  }

  private @Nullable String cset82Problem(String value) {
    if (value.length() > maxLength) {
      return displayName + " is " + value.length() + " characters, at most " + maxLength;
    }
    int bad = Cset82.firstInvalid(value);
    if (bad >= 0) {
      return displayName
          + " "
          + Printable.quote(value)
          + " has a character GS1 does not allow: "
          + Printable.describe(value.charAt(bad));
    }
    return null;
  }

  private @Nullable String digitsProblem(String value) {
    if (!allDigits(value)) {
      return displayName + " must be digits: " + Printable.quote(value);
    }
    if (value.length() > maxLength) {
      return displayName + " is " + value.length() + " digits, at most " + maxLength;
    }
    return null;
  }

  static boolean allDigits(String text) {
    return !text.isEmpty() && text.chars().allMatch(c -> c >= '0' && c <= '9');
  }
}
