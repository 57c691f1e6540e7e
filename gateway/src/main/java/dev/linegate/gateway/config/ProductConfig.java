package dev.linegate.gateway.config;

import java.util.Optional;

/** A product the PLC may name in a batch (SPEC section 2, {@code products[]}). */
public record ProductConfig(
    String code,
    String gtin,
    int shelfLifeDays,
    SerialSpec serials,
    Optional<PackagingConfig> packaging) {

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

  /**
   * How the product's serials are made: by the gateway ({@code pool} empty: {@code mode}), or taken
   * from a provider's pool (SPEC section 8), in this format.
   */
  public record SerialSpec(
      SerialMode mode, int length, Alphabet alphabet, Optional<PoolSpec> pool, Reprint reprint) {}

  /**
   * The serial on the label that replaces a scrapped one (SPEC section 9): the same, or a new one
   * for the lot, where a serial must never appear on two labels.
   */
  public enum Reprint {
    SAME_SERIAL,
    NEW_SERIAL
  }

  /**
   * A GTIN's pool: below {@code lowWater} unassigned serials, {@code request} more are asked of
   * {@code provider}; a batch larger than the pool asks for what it lacks, up to {@code
   * maxRequest}; below {@code alarmHours} of serials at the current rate the pool is low.
   */
  public record PoolSpec(
      String provider, int lowWater, int request, int alarmHours, int maxRequest) {}
}
