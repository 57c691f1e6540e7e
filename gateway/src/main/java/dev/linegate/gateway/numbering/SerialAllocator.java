package dev.linegate.gateway.numbering;

import dev.linegate.gateway.config.ProductConfig;
import dev.linegate.gateway.config.ProductConfig.SerialMode;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;

/**
 * Issues serial numbers inside the writer's transaction. The unique index on (gtin, serial) is
 * the guard: a candidate that is already taken (a random collision, or a number issued in an
 * earlier mode) is skipped and replaced, so nothing is ever issued twice. Serials are handed on
 * in chunks as they are inserted, so a batch of a million units never sits in memory as a list.
 */
public final class SerialAllocator {

  private static final int CHUNK = 10_000;
  /** Candidates that keep colliding this often mean the serial space is nearly full. */
  private static final int MAX_ROUNDS = 64;

  private final SecureRandom random;

  public SerialAllocator(SecureRandom random) {
    this.random = random;
  }

  /** Inserts {@code quantity} new serials for the lot, passing each to {@code issued} in insertion order. */
  public void allocate(Connection tx, ProductConfig product, long lotId, int quantity, Consumer<String> issued) throws SQLException, NumberingException {
    boolean sequential = product.serials().mode() == SerialMode.SEQUENTIAL;
    String counterName = "serial:" + product.gtin();
    long sequence = sequential ? Counters.current(tx, counterName) : 0;
    try (PreparedStatement insert = tx.prepareStatement("INSERT OR IGNORE INTO serials(gtin, serial, lot_id) VALUES(?, ?, ?)")) {
      for (int done = 0; done < quantity; ) {
        int chunk = Math.min(CHUNK, quantity - done);
        for (int round = 0; chunk > 0; round++) {
          if (round == MAX_ROUNDS) {
            throw new NumberingException("serial numbers for GTIN " + product.gtin() + " are exhausted (" + product.serials().length() + " characters); lengthen products[].serials.length");
          }
          List<String> candidates = new ArrayList<>(chunk);
          if (sequential) {
            for (int i = 0; i < chunk; i++) {
              candidates.add(sequential(product, ++sequence));
            }
          } else {
            randoms(product, chunk, candidates);
            // In key order the unique index is filled page by page instead of all over the file.
            Collections.sort(candidates);
          }
          int inserted = insert(insert, product.gtin(), lotId, candidates, issued);
          done += inserted;
          chunk -= inserted;
        }
      }
    }
    if (sequential) {
      Counters.set(tx, counterName, sequence);
    }
  }

  private static int insert(PreparedStatement insert, String gtin, long lotId, List<String> candidates, Consumer<String> issued) throws SQLException {
    for (String candidate : candidates) {
      insert.setString(1, gtin);
      insert.setString(2, candidate);
      insert.setLong(3, lotId);
      insert.addBatch();
    }
    int[] counts = insert.executeBatch();
    int inserted = 0;
    for (int i = 0; i < counts.length; i++) {
      if (counts[i] > 0) {
        issued.accept(candidates.get(i));
        inserted++;
      }
    }
    return inserted;
  }

  private static String sequential(ProductConfig product, long value) throws NumberingException {
    String digits = Long.toString(value);
    int length = product.serials().length();
    if (digits.length() > length) {
      throw new NumberingException("sequential serial numbers for GTIN " + product.gtin() + " are exhausted at " + length + " digits");
    }
    return "0".repeat(length - digits.length()) + digits;
  }

  /**
   * Uniform over the alphabet: bytes that would bias the modulo are drawn again. One call to the
   * random source per chunk, not per serial: each call costs a lock and, with /dev/urandom, I/O.
   */
  private void randoms(ProductConfig product, int count, List<String> into) {
    String alphabet = product.serials().alphabet().characters();
    int size = alphabet.length();
    int limit = 256 - 256 % size;
    int length = product.serials().length();
    byte[] bytes = new byte[count * length * 2];
    random.nextBytes(bytes);
    int next = 0;
    char[] serial = new char[length];
    while (into.size() < count) {
      for (int filled = 0; filled < length; ) {
        if (next == bytes.length) {
          random.nextBytes(bytes);
          next = 0;
        }
        int b = bytes[next++] & 0xff;
        if (b < limit) {
          serial[filled++] = alphabet.charAt(b % size);
        }
      }
      into.add(new String(serial));
    }
  }
}
