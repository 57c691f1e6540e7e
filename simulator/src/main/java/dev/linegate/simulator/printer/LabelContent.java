package dev.linegate.simulator.printer;

import java.util.List;

/** What one format asks to print, {@code copies} times. */
record LabelContent(List<String> texts, List<Barcode> barcodes, int copies, String zpl) {

  LabelContent {
    texts = List.copyOf(texts);
    barcodes = List.copyOf(barcodes);
  }
}
