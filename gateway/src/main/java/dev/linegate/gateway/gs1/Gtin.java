package dev.linegate.gateway.gs1;

/** GS1 global trade item numbers: the mod-10 check digit shared by GTIN-8/12/13/14 and SSCC. */
public final class Gtin {

  private Gtin() {}

  /** Whether {@code digits} (all digits, any GS1 key length) ends in its correct check digit. */
  public static boolean hasValidCheckDigit(String digits) {
    if (digits.length() < 2 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return false;
    }
    int last = digits.length() - 1;
    return checkDigit(digits.substring(0, last)) == digits.charAt(last) - '0';
  }

  /** From the right, weights 3, 1, 3, 1...; check = (10 - sum mod 10) mod 10. */
  public static int checkDigit(String digitsWithoutCheck) {
    int sum = 0;
    for (int i = digitsWithoutCheck.length() - 1, weight = 3; i >= 0; i--, weight = 4 - weight) {
      sum += (digitsWithoutCheck.charAt(i) - '0') * weight;
    }
    return (10 - sum % 10) % 10;
  }

  /**
   * A GTIN-8, -12 or -13 left-padded with zeros to the 14 digits AI (01) carries (the zeros leave
   * the check digit unchanged); anything else is returned as it is, for the caller's validation to
   * refuse.
   */
  public static String toGtin14(String gtin) {
    boolean shortGtin = gtin.length() == 8 || gtin.length() == 12 || gtin.length() == 13;
    return shortGtin && gtin.chars().allMatch(c -> c >= '0' && c <= '9')
        ? "0".repeat(14 - gtin.length()) + gtin
        : gtin;
  }
}
