package dev.linegate.gateway.printing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.linegate.gateway.gs1.Gs1Data;
import dev.linegate.gateway.gs1.Gs1Parser;
import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LabelFieldsTest {

  private static final LabelData UNIT =
      new LabelData(
          "L1",
          "WIDGET-100",
          "09506000134352",
          "L126327001",
          24,
          LocalDate.of(2026, 11, 23),
          LocalDate.of(2028, 11, 22),
          Optional.of("A1B2C3D4E5F6"));

  @Test
  void aUnitLabelCarriesGtinExpiryLotAndSerialWithZplFnc1OnlyWhereGs1NeedsIt() {
    Map<String, String> fields = LabelFields.of(UNIT);
    // FNC1 first (GS1 DataMatrix), then one after the variable-length lot, none at the end.
    assertThat(fields.get("gs1DataMatrix"))
        .isEqualTo(
            "_1" + "0109506000134352" + "17281122" + "10L126327001" + "_1" + "21A1B2C3D4E5F6");
    assertThat(fields.get("gs1Text"))
        .isEqualTo("(01)09506000134352(17)281122(10)L126327001(21)A1B2C3D4E5F6");
    assertThat(fields.get("gs1Code128")).isEqualTo(fields.get("gs1Text"));
    assertThat(fields.get("gs1DigitalLink"))
        .isEqualTo("https://id.gs1.org/01/09506000134352/10/L126327001/21/A1B2C3D4E5F6?17=281122");
    assertThat(fields)
        .containsEntry("expiryYYMMDD", "281122")
        .containsEntry("productionYYMMDD", "261123")
        .containsEntry("expiryDate", "2028-11-22")
        .containsEntry("quantity", "24");
  }

  @Test
  void aLotLabelCarriesTheProductionDateAndNoSerial() {
    Map<String, String> fields =
        LabelFields.of(
            new LabelData(
                UNIT.line(),
                UNIT.product(),
                UNIT.gtin(),
                UNIT.lot(),
                24,
                UNIT.productionDate(),
                UNIT.expiryDate(),
                Optional.empty()));
    assertThat(fields.get("gs1Text"))
        .isEqualTo("(01)09506000134352(11)261123(17)281122(10)L126327001");
    assertThat(fields.get("serial")).isEmpty();
  }

  @Test
  void whatALabelCarriesParsesBackToTheSameData() throws Exception {
    Map<String, String> fields = LabelFields.of(UNIT);
    Gs1Data printed = LabelFields.gs1(UNIT);
    // What a scanner sends for the DataMatrix: no leading FNC1, GS where ZPL had _1.
    String scanned = "]d2" + fields.get("gs1DataMatrix").substring(2).replace("_1", "\u001D");
    assertThat(Gs1Parser.parse(scanned).data()).isEqualTo(printed);
    assertThat(Gs1Parser.parse(fields.get("gs1Text")).data()).isEqualTo(printed);
    assertThat(Gs1Parser.parse(fields.get("gs1DigitalLink")).data()).isEqualTo(printed);
    assertThat(printed.serial()).contains("A1B2C3D4E5F6");
    assertThat(printed.expiryDate()).contains(LocalDate.of(2028, 11, 22));
  }

  @Test
  void everyPlaceholderOfTheShippedTemplatesIsFilled() throws IOException {
    for (String file : new String[] {"unit-gs1.zpl", "lot-gs1-128.zpl"}) {
      String label =
          LabelTemplate.read(Path.of("../config/labels", file)).render(LabelFields.of(UNIT));
      assertThat(label)
          .startsWith("^XA")
          .contains("^XZ")
          .doesNotContain("{")
          .doesNotContain("null");
    }
  }
}
