package dev.linegate.gateway.gs1;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.Optional;

/**
 * GS1 dates, YYMMDD. Linegate reads the years as 2000-2099. A GS1 reader applies the sliding window
 * of the General Specifications (7.12) instead: a year at most 49 years before the current one or
 * 50 after it. Linegate only prints dates both agree on ({@link #earliest}..{@link #latest}), so
 * every reader takes a label's date for the one that was meant.
 */
public final class Yymmdd {

  /** How far ahead of today a GS1 reader still places a YYMMDD date in the right century. */
  public static final int YEARS_AHEAD = 50;

  private static final int YEARS_BACK = 49;

  private Yymmdd() {}

  /**
   * The date, or empty when {@code yymmdd} is not one; day 00 is the month's last day where allowed
   * (AI 17).
   */
  static Optional<LocalDate> parse(String yymmdd, boolean dayZeroIsEndOfMonth) {
    if (yymmdd.length() != 6 || !Gs1Ai.allDigits(yymmdd)) {
      return Optional.empty();
    }
    int year = 2000 + Integer.parseInt(yymmdd.substring(0, 2));
    int month = Integer.parseInt(yymmdd.substring(2, 4));
    int day = Integer.parseInt(yymmdd.substring(4, 6));
    try {
      if (day == 0) {
        return dayZeroIsEndOfMonth
            ? Optional.of(YearMonth.of(year, month).atEndOfMonth())
            : Optional.empty();
      }
      return Optional.of(LocalDate.of(year, month, day));
    } catch (DateTimeException e) {
      return Optional.empty();
    }
  }

  /**
   * @throws IllegalArgumentException for a year outside 2000-2099, which six digits would misstate
   */
  public static String format(LocalDate date) {
    if (date.getYear() < 2000 || date.getYear() > 2099) {
      throw new IllegalArgumentException(
          "year " + date.getYear() + " does not fit YYMMDD (2000-2099)");
    }
    return String.format(
        "%02d%02d%02d", date.getYear() % 100, date.getMonthValue(), date.getDayOfMonth());
  }

  /** The first date a label printed {@code today} may carry. */
  public static LocalDate earliest(LocalDate today) {
    return LocalDate.of(Math.max(2000, today.getYear() - YEARS_BACK), 1, 1);
  }

  /** The last date a label printed {@code today} may carry. */
  public static LocalDate latest(LocalDate today) {
    return LocalDate.of(Math.min(2099, today.getYear() + YEARS_AHEAD), 12, 31);
  }
}
