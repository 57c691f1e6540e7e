package dev.linegate.simulator.printer;

import java.util.List;

/**
 * One label that came out of the printer. A format with {@code ^PQ3} prints three of these, with
 * {@code copy} 1, 2 and 3.
 *
 * @param sequence 1 for the first label printed since start (not reset by clearing the list)
 * @param texts the text fields in format order
 * @param zpl the whole format, {@code ^XA} to {@code ^XZ}
 */
public record PrintedLabel(
    long sequence, int copy, int copies, List<String> texts, List<Barcode> barcodes, String zpl) {

  public PrintedLabel {
    texts = List.copyOf(texts);
    barcodes = List.copyOf(barcodes);
  }
}
