package dev.linegate.gateway.gs1;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The GS1 data of one label or scan, held in canonical order (see {@link Gs1Ai}) so that two reads
 * of the same data are equal whatever order the symbol had, and every element string built from it
 * needs separators only after variable-length fields.
 */
public record Gs1Data(List<Gs1Element> elements) {

  /** Group separator: FNC1 as scanners send it, and the separator inside GS1 DataMatrix data. */
  public static final String GS = "\u001D";

  /**
   * @throws IllegalArgumentException when empty or when an AI appears twice
   */
  public Gs1Data {
    List<Gs1Element> sorted = new ArrayList<>(elements);
    sorted.sort(Comparator.comparing(Gs1Element::ai));
    if (sorted.isEmpty()) {
      throw new IllegalArgumentException("no GS1 data");
    }
    for (int i = 1; i < sorted.size(); i++) {
      if (sorted.get(i).ai() == sorted.get(i - 1).ai()) {
        throw new IllegalArgumentException(duplicate(sorted.get(i).ai()));
      }
    }
    elements = List.copyOf(sorted);
  }

  public static Builder builder() {
    return new Builder();
  }

  public Optional<String> value(Gs1Ai ai) {
    return elements.stream().filter(e -> e.ai() == ai).map(Gs1Element::value).findFirst();
  }

  /** The GTIN-14. */
  public Optional<String> gtin() {
    return value(Gs1Ai.GTIN);
  }

  /** The GTIN of a logistic unit's contents, (02). */
  public Optional<String> content() {
    return value(Gs1Ai.CONTENT);
  }

  public Optional<String> sscc() {
    return value(Gs1Ai.SSCC);
  }

  public Optional<String> lot() {
    return value(Gs1Ai.LOT);
  }

  public Optional<String> serial() {
    return value(Gs1Ai.SERIAL);
  }

  public Optional<LocalDate> productionDate() {
    return value(Gs1Ai.PRODUCTION_DATE).flatMap(v -> Yymmdd.parse(v, false));
  }

  /** The expiry date; day 00 in the data gives the last day of that month. */
  public Optional<LocalDate> expiryDate() {
    return value(Gs1Ai.EXPIRY_DATE).flatMap(v -> Yymmdd.parse(v, true));
  }

  public Optional<Integer> count() {
    return value(Gs1Ai.COUNT).map(Integer::valueOf);
  }

  /**
   * AIs and values run together, {@code separator} after each variable-length field that is not
   * last: {@link #GS} for scanner data, ZPL's {@code _1} for a printer. The leading FNC1 that marks
   * the symbol as GS1 is the caller's, because each carrier spells it differently.
   */
  public String elementString(String separator) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < elements.size(); i++) {
      Gs1Element e = elements.get(i);
      out.append(e.ai().code()).append(e.value());
      if (!e.ai().predefinedLength() && i < elements.size() - 1) {
        out.append(separator);
      }
    }
    return out.toString();
  }

  /**
   * The text printed under a bar code, such as {@code (01)09506000134352(17)281122(10)L126327001}.
   */
  public String humanReadable() {
    StringBuilder out = new StringBuilder();
    for (Gs1Element e : elements) {
      out.append('(').append(e.ai().code()).append(')').append(e.value());
    }
    return out.toString();
  }

  /**
   * A GS1 Digital Link URI under {@code base} (such as {@code https://id.gs1.org}): the key (GTIN,
   * else SSCC) and, for a GTIN, lot and serial in the path; other AIs in the query.
   *
   * @throws IllegalStateException when there is no GTIN or SSCC, or both (a link has one key)
   * @throws IllegalArgumentException when {@code base} is not an http or https address
   */
  public String digitalLink(String base) {
    return DigitalLink.format(this, base);
  }

  static String duplicate(Gs1Ai ai) {
    return "AI (" + ai.code() + ") appears twice";
  }

  /**
   * Label data from typed values; each setter checks its value at once, a second call replaces the
   * first.
   */
  public static final class Builder {

    private final Map<Gs1Ai, Gs1Element> elements = new EnumMap<>(Gs1Ai.class);

    private Builder() {}

    /** A GTIN-8, -12, -13 or -14; shorter ones are padded to 14 digits as AI (01) requires. */
    public Builder gtin(String gtin) {
      return put(Gs1Ai.GTIN, Gtin.toGtin14(gtin));
    }

    public Builder content(String gtin) {
      return put(Gs1Ai.CONTENT, Gtin.toGtin14(gtin));
    }

    public Builder sscc(String sscc) {
      return put(Gs1Ai.SSCC, sscc);
    }

    public Builder lot(String lot) {
      return put(Gs1Ai.LOT, lot);
    }

    public Builder serial(String serial) {
      return put(Gs1Ai.SERIAL, serial);
    }

    public Builder productionDate(LocalDate date) {
      return put(Gs1Ai.PRODUCTION_DATE, Yymmdd.format(date));
    }

    public Builder expiryDate(LocalDate date) {
      return put(Gs1Ai.EXPIRY_DATE, Yymmdd.format(date));
    }

    public Builder count(int count) {
      return put(Gs1Ai.COUNT, Integer.toString(count));
    }

    /**
     * @throws IllegalArgumentException when nothing was set
     */
    public Gs1Data build() {
      return new Gs1Data(List.copyOf(elements.values()));
    }

    private Builder put(Gs1Ai ai, String value) {
      elements.put(ai, new Gs1Element(ai, value));
      return this;
    }
  }
}
