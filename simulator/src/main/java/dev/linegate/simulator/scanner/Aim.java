package dev.linegate.simulator.scanner;

import dev.linegate.simulator.printer.Barcode;
import java.util.Optional;

/** AIM symbology identifiers (ISO/IEC 15424) a scanner puts before the data (DOMAIN 6). */
final class Aim {

  private Aim() {}

  /** The identifier for a printed bar code; empty for symbologies the printer does not name. */
  static Optional<String> of(Barcode barcode) {
    return switch (barcode.symbology()) {
      case DATAMATRIX -> Optional.of(barcode.gs1() ? "]d2" : "]d1");
      case CODE128 -> Optional.of(barcode.gs1() ? "]C1" : "]C0");
      case QR -> Optional.of(barcode.gs1() ? "]Q3" : "]Q1");
      case OTHER -> Optional.empty();
    };
  }
}
