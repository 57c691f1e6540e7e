package dev.linegate.simulator.printer;

/**
 * A bar code as a scanner would read it back.
 *
 * @param gs1 the symbol starts with FNC1 (GS1 DataMatrix, GS1-128)
 * @param data what a scanner transmits: for GS1 the element string, without the leading FNC1 and
 *     with GS (0x1D) after each variable-length field that is not last; QR data as sent
 * @param fieldData the {@code ^FD} content after {@code ^FH} decoding, for diagnostics
 */
public record Barcode(Symbology symbology, boolean gs1, String data, String fieldData) {

  public enum Symbology {
    DATAMATRIX,
    CODE128,
    QR,
    /** Any other {@code ^B} command; its data is kept as sent. */
    OTHER
  }
}
