package dev.linegate.gateway.printing;

import dev.linegate.gateway.gs1.Gs1Data;
import dev.linegate.gateway.gs1.Yymmdd;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The values a template's placeholders take for one label. The GS1 data of a unit label is (01)
 * GTIN, (17) expiry, (10) lot, (21) serial, as EU FMD and DSCSA ask; a lot label carries (01), (11)
 * production date, (17) and (10).
 */
public final class LabelFields {

  /** Where a GS1 Digital Link URI points unless a brand runs its own resolver. */
  public static final String DIGITAL_LINK_BASE = "https://id.gs1.org";

  /** ZPL's FNC1 inside {@code ^BX} data when the template's escape character is {@code _}. */
  private static final String ZPL_FNC1 = "_1";

  public static final List<String> NAMES =
      List.of(
          "gtin",
          "lot",
          "serial",
          "product",
          "line",
          "quantity",
          "productionDate",
          "expiryDate",
          "productionYYMMDD",
          "expiryYYMMDD",
          "gs1DataMatrix",
          "gs1Code128",
          "gs1Text",
          "gs1DigitalLink");

  private LabelFields() {}

  public static Gs1Data gs1(LabelData label) {
    Gs1Data.Builder gs1 = Gs1Data.builder().gtin(label.gtin());
    if (label.serial().isEmpty()) {
      gs1.productionDate(label.productionDate());
    }
    gs1.expiryDate(label.expiryDate()).lot(label.lot());
    label.serial().ifPresent(gs1::serial);
    return gs1.build();
  }

  public static Map<String, String> of(LabelData label) {
    Gs1Data gs1 = gs1(label);
    Map<String, String> fields = new HashMap<>();
    fields.put("gtin", label.gtin());
    fields.put("lot", label.lot());
    fields.put("serial", label.serial().orElse(""));
    fields.put("product", label.product());
    fields.put("line", label.line());
    fields.put("quantity", Integer.toString(label.quantity()));
    fields.put("productionDate", label.productionDate().toString());
    fields.put("expiryDate", label.expiryDate().toString());
    fields.put("productionYYMMDD", Yymmdd.format(label.productionDate()));
    fields.put("expiryYYMMDD", Yymmdd.format(label.expiryDate()));
    // A leading FNC1 is what makes a DataMatrix a GS1 DataMatrix.
    fields.put("gs1DataMatrix", ZPL_FNC1 + gs1.elementString(ZPL_FNC1));
    // ^BC mode D takes the bracketed form, strips the brackets and adds the FNC1s itself.
    fields.put("gs1Code128", gs1.humanReadable());
    fields.put("gs1Text", gs1.humanReadable());
    fields.put("gs1DigitalLink", gs1.digitalLink(DIGITAL_LINK_BASE));
    return fields;
  }
}
