package dev.linegate.simulator.printer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.linegate.simulator.printer.Barcode.Symbology;
import org.junit.jupiter.api.Test;

class LabelReaderTest {
  private static final String GS = "\u001d";

  /** DOMAIN 5: FNC1 first makes it GS1 and is not transmitted; later _1 are separators. */
  @Test
  void gs1DataMatrixDecodesToTheElementStringAScannerSends() {
    var label =
        LabelReader.read(
            "^XA^FO50,50^BXN,8,200,,,,_^FD_10109506000134352172811221"
                + "0L126327001_121A1B2C3D4E5F6^FS^XZ");

    assertThat(label.barcodes())
        .containsExactly(
            new Barcode(
                Symbology.DATAMATRIX,
                true,
                "0109506000134352" + "17281122" + "10L126327001" + GS + "21A1B2C3D4E5F6",
                "_10109506000134352172811221" + "0L126327001_121A1B2C3D4E5F6"));
  }

  /** Mode D: brackets are human-readable only; variable AIs that are not last get a separator. */
  @Test
  void gs1128InModeDDecodesBracketedAisWithSeparatorsAfterVariableFieldsOnly() {
    var label =
        LabelReader.read(
            "^XA^BY2^FO50,200^BCN,100,Y,N,N,D"
                + "^FD(01)09506000134352(10)L1263(17)281122(21)SER1^FS^XZ");

    Barcode barcode = label.barcodes().get(0);
    assertThat(barcode.symbology()).isEqualTo(Symbology.CODE128);
    assertThat(barcode.gs1()).isTrue();
    assertThat(barcode.data())
        .isEqualTo("0109506000134352" + "10L1263" + GS + "17281122" + "21SER1");
  }

  @Test
  void manualCode128WithInvocationCodesDecodesFnc1() {
    var label = LabelReader.read("^XA^BCN,80,N^FD>;>80109506000134352>8>610LOT-7^FS^XZ");

    assertThat(label.barcodes().get(0).data()).isEqualTo("0109506000134352" + GS + "10LOT-7");
    assertThat(label.barcodes().get(0).gs1()).isTrue();
  }

  /** ^FH is decoded before anything else, with its own indicator. */
  @Test
  void hexEscapesTextsQrAndQuantity() {
    var label =
        LabelReader.read(
            "^XA^CI28^FO10,10^A0N,30,30^FH\\^FDLot \\C3\\A9t\\C3\\A9 5\\5F1^FS"
                + "^FO10,60^A0N,30,30^FDPlain^FS"
                + "^FO10,100^BQN,2,5^FDQA,https://id.gs1.org/01/09506000134352^FS^PQ3^XZ");

    assertThat(label.texts()).containsExactly("Lot \u00e9t\u00e9 5_1", "Plain");
    assertThat(label.barcodes())
        .extracting(Barcode::symbology, Barcode::data)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                Symbology.QR, "QA,https://id.gs1.org/01/09506000134352"));
    assertThat(label.copies()).isEqualTo(3);
  }
}
