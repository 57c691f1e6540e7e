package dev.linegate.gateway.gs1;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.Optional;

/**
 * GS1 dates, YYMMDD. Years are read as 2000-2099: GS1's sliding window (General Specifications,
 * 7.12) differs from that only for dates more than 49 years from today, which no line prints.
 */
final class Yymmdd {

  private Yymmdd() {}

  /** The date, or empty when {@code yymmdd} is not one; day 00 is the month's last day where allowed (AI 17). */
  static Optional<LocalDate> parse(String yymmdd, boolean dayZeroIsEndOfMonth) {
    if (yymmdd.length() != 6 || !Gs1Ai.allDigits(yymmdd)) {
      return Optional.empty();
    }
    int year = 2000 + Integer.parseInt(yymmdd.substring(0, 2));
    int month = Integer.parseInt(yymmdd.substring(2, 4));
    int day = Integer.parseInt(yymmdd.substring(4, 6));
    try {
      if (day == 0) {
        return dayZeroIsEndOfMonth ? Optional.of(YearMonth.of(year, month).atEndOfMonth()) : Optional.empty();
      }
      return Optional.of(LocalDate.of(year, month, day));
    } catch (DateTimeException e) {
      return Optional.empty();
    }
  }

  static String format(LocalDate date) {
    if (date.getYear() < 2000 || date.getYear() > 2099) {
      throw new IllegalArgumentException("year " + date.getYear() + " does not fit YYMMDD (2000-2099)");
    }
    return String.format("%02d%02d%02d", date.getYear() % 100, date.getMonthValue(), date.getDayOfMonth());
  }
}
