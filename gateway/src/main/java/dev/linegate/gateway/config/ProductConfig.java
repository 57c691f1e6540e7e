package dev.linegate.gateway.config;

/** A product the PLC may name in a batch (SPEC section 2, {@code products[]}). */
public record ProductConfig(String code, String gtin, int shelfLifeDays, SerialSpec serials) {

  public enum SerialMode {
    RANDOM,
    SEQUENTIAL
  }

  public enum Alphabet {
    NUMERIC("0123456789"),
    /** Digits and capitals: inside CSET 82, and unambiguous to read out over a phone. */
    ALPHANUMERIC("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ");

    private final String characters;

    Alphabet(String characters) {
      this.characters = characters;
    }

    public String characters() {
      return characters;
    }
  }

  public record SerialSpec(SerialMode mode, int length, Alphabet alphabet) {}
}
