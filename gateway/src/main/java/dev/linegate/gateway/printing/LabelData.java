package dev.linegate.gateway.printing;

import java.time.LocalDate;
import java.util.Optional;

/** What one label shows. A unit label carries its serial; a lot label does not. */
public record LabelData(
    String line,
    String product,
    String gtin,
    String lot,
    int quantity,
    LocalDate productionDate,
    LocalDate expiryDate,
    Optional<String> serial) {

  public LabelData withSerial(String serial) {
    return new LabelData(
        line, product, gtin, lot, quantity, productionDate, expiryDate, Optional.of(serial));
  }
}
