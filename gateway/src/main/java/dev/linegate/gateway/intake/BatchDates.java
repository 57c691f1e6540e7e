package dev.linegate.gateway.intake;

import dev.linegate.gateway.gs1.Yymmdd;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Map;
import java.util.Optional;

/**
 * A batch's production date (the day it was completed, in the gateway's time zone) and expiry date
 * (plus its product's shelf life). Both go on labels as GS1 YYMMDD, so they are judged here, where
 * the signal enters: a date that form cannot carry is a reject with its reason, not a lot whose
 * labels can never print, nor a write that fails and is never acknowledged.
 */
final class BatchDates {

  /** The dates, or why no label can carry them. */
  record Judged(Optional<Dates> dates, String problem) {}

  record Dates(LocalDate production, LocalDate expiry) {}

  private final Map<String, Integer> shelfLifeDays;
  private final ZoneId zone;

  BatchDates(Map<String, Integer> shelfLifeDays, ZoneId zone) {
    this.shelfLifeDays = Map.copyOf(shelfLifeDays);
    this.zone = zone;
  }

  /**
   * The dates of a batch of {@code product} completed at {@code completion} and received at {@code
   * receivedAt}.
   */
  Judged judge(String product, Instant completion, Instant receivedAt) {
    LocalDate today = receivedAt.atZone(zone).toLocalDate();
    LocalDate earliest = Yymmdd.earliest(today);
    LocalDate latest = Yymmdd.latest(today);
    String range =
        " is not between "
            + earliest
            + " and "
            + latest
            + ", the dates a GS1 label (YYMMDD) can carry";
    LocalDate production;
    try {
      production = completion.atZone(zone).toLocalDate();
    } catch (DateTimeException e) {
      return new Judged(Optional.empty(), "its production date in time zone " + zone + range);
    }
    if (production.isBefore(earliest) || production.isAfter(latest)) {
      return new Judged(Optional.empty(), "production date " + production + range);
    }
    int days = shelfLifeDays.get(product);
    LocalDate expiry = production.plusDays(days);
    if (expiry.isAfter(latest)) {
      return new Judged(
          Optional.empty(),
          "expiry date "
              + expiry
              + " (production date "
              + production
              + " + "
              + days
              + " days of "
              + product
              + ")"
              + range);
    }
    return new Judged(Optional.of(new Dates(production, expiry)), "");
  }
}
