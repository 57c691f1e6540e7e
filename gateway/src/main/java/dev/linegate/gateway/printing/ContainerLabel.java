package dev.linegate.gateway.printing;

import dev.linegate.gateway.gs1.Gs1Data;
import dev.linegate.gateway.gs1.Yymmdd;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the SSCC label of a case or pallet shows (SPEC section 10): GS1-128 with (00), and for
 * contents of one GTIN (02) with (37) the number of units, and (10) and (17) when they are of one
 * lot.
 */
public record ContainerLabel(
    String sscc,
    String level,
    String line,
    String station,
    int children,
    int units,
    Optional<String> gtin,
    Optional<String> product,
    Optional<String> lot,
    Optional<LocalDate> expiryDate) {

  public static final List<String> NAMES =
      List.of(
          "sscc",
          "level",
          "line",
          "station",
          "count",
          "units",
          "gtin",
          "product",
          "lot",
          "expiryDate",
          "expiryYYMMDD",
          "gs1Code128",
          "gs1Text",
          "gs1DigitalLink");

  public Gs1Data gs1() {
    Gs1Data.Builder gs1 = Gs1Data.builder().sscc(sscc);
    gtin.ifPresent(g -> gs1.content(g).count(units));
    lot.ifPresent(gs1::lot);
    expiryDate.ifPresent(gs1::expiryDate);
    return gs1.build();
  }

  /** The values of the template's placeholders; what the contents do not share is blank. */
  public Map<String, String> fields() {
    Gs1Data gs1 = gs1();
    Map<String, String> fields = new HashMap<>();
    fields.put("sscc", sscc);
    fields.put("level", level);
    fields.put("line", line);
    fields.put("station", station);
    fields.put("count", Integer.toString(children));
    fields.put("units", Integer.toString(units));
    fields.put("gtin", gtin.orElse(""));
    fields.put("product", product.orElse(""));
    fields.put("lot", lot.orElse(""));
    fields.put("expiryDate", expiryDate.map(LocalDate::toString).orElse(""));
    fields.put("expiryYYMMDD", expiryDate.map(Yymmdd::format).orElse(""));
    // ^BC mode D takes the bracketed form and adds the FNC1s itself, as on a lot label.
    fields.put("gs1Code128", gs1.humanReadable());
    fields.put("gs1Text", gs1.humanReadable());
    fields.put("gs1DigitalLink", gs1.digitalLink(LabelFields.DIGITAL_LINK_BASE));
    return fields;
  }
}
