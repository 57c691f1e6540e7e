package dev.linegate.gateway.numbering;

import dev.linegate.gateway.config.ProductConfig;
import dev.linegate.gateway.config.ProductConfig.SerialMode;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Issues serial numbers inside the writer's transaction. The unique index on (gtin, serial) is
 * the guard: a candidate that is already taken (a random collision, or a number issued in an
 * earlier mode) is skipped and replaced, so nothing is ever issued twice.
 */
public final class SerialAllocator {

  /** Random candidates that all collide this often mean the serial space is nearly full. */
  private static final int MAX_ROUNDS = 64;

  private final SecureRandom random;

  public SerialAllocator(SecureRandom random) {
    this.random = random;
  }

  /** Inserts {@code quantity} new serials for the lot and returns them in insertion order. */
  public List<String> allocate(Connection tx, ProductConfig product, long lotId, int quantity) throws SQLException, NumberingException {
    List<String> issued = new ArrayList<>(quantity);
    String counterName = "serial:" + product.gtin();
    long sequence = product.serials().mode() == SerialMode.SEQUENTIAL ? Counters.current(tx, counterName) : 0;
    try (PreparedStatement insert = tx.prepareStatement("INSERT OR IGNORE INTO serials(gtin, serial, lot_id) VALUES(?, ?, ?)")) {
      for (int round = 0; issued.size() < quantity; round++) {
        if (round == MAX_ROUNDS) {
          throw new NumberingException("serial numbers for GTIN " + product.gtin() + " are exhausted (" + product.serials().length() + " characters); lengthen products[].serials.length");
        }
        List<String> candidates = new ArrayList<>(quantity - issued.size());
        for (int i = issued.size(); i < quantity; i++) {
          if (product.serials().mode() == SerialMode.SEQUENTIAL) {
            sequence++;
            candidates.add(sequential(product, sequence));
          } else {
            candidates.add(random(product));
          }
        }
        for (String candidate : candidates) {
          insert.setString(1, product.gtin());
          insert.setString(2, candidate);
          insert.setLong(3, lotId);
          insert.addBatch();
        }
        int[] inserted = insert.executeBatch();
        for (int i = 0; i < inserted.length; i++) {
          if (inserted[i] > 0) {
            issued.add(candidates.get(i));
          }
        }
      }
    }
    if (product.serials().mode() == SerialMode.SEQUENTIAL) {
      Counters.set(tx, counterName, sequence);
    }
    return issued;
  }

  private static String sequential(ProductConfig product, long value) throws NumberingException {
    String digits = Long.toString(value);
    int length = product.serials().length();
    if (digits.length() > length) {
      throw new NumberingException("sequential serial numbers for GTIN " + product.gtin() + " are exhausted at " + length + " digits");
    }
    return "0".repeat(length - digits.length()) + digits;
  }

  /** Uniform over the alphabet: bytes that would bias the modulo are drawn again. */
  private String random(ProductConfig product) {
    String alphabet = product.serials().alphabet().characters();
    int size = alphabet.length();
    int limit = 256 - 256 % size;
    char[] serial = new char[product.serials().length()];
    byte[] bytes = new byte[serial.length * 2];
    int filled = 0;
    while (filled < serial.length) {
      random.nextBytes(bytes);
      for (int i = 0; i < bytes.length && filled < serial.length; i++) {
        int b = bytes[i] & 0xff;
        if (b < limit) {
          serial[filled++] = alphabet.charAt(b % size);
        }
      }
    }
    return new String(serial);
  }
}
