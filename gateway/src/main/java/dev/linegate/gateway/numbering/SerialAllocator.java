package dev.linegate.gateway.numbering;

import dev.linegate.gateway.config.ProductConfig;
import dev.linegate.gateway.config.ProductConfig.SerialMode;
import dev.linegate.gateway.pools.PoolStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Issues serial numbers inside the writer's transaction, from a counter per GTIN: sequential
 * serials are the counter itself, random ones the counter through the product's {@link
 * SerialPermutation}. Either way a counter that only moves forward never repeats a serial, also
 * after a restore (see {@link Counters}). The unique index on (gtin, serial) stays the guard: a
 * candidate that is already taken (a number issued in an earlier mode) is skipped and the counter
 * moves on. Serials are handed on in chunks as they are inserted, so a batch of a million units
 * never sits in memory as a list.
 */
public final class SerialAllocator {

  /**
   * Candidates drawn, sorted and inserted together. Random serials land all over the unique index;
   * sorted, a chunk fills each of its pages in one visit, and the larger the chunk the more keys a
   * visit takes: 100,000 inserted a million serials in half the time 10,000 took, for about 8 MB of
   * heap while they are bound (BENCHMARKS.md).
   */
  private static final int CHUNK = 100_000;

  /** The least a serial counter's reservation is raised by: the record is rewritten rarely. */
  private static final long STEP = 100_000;

  /** A GTIN's serials: counter values 1..limit, each one serial. */
  private record Space(String counter, long limit, Draw draw, String exhausted) {}

  /** The serials of counter values {@code first} to {@code first + count - 1}, in that order. */
  private interface Draw {
    void serials(long first, int count, List<String> into);
  }

  private final Counters counters;

  /** Made once per product: the AES key schedule is not redone for every lot. */
  private final Map<ProductConfig, SerialPermutation> permutations = new HashMap<>();

  public SerialAllocator(Counters counters) {
    this.counters = counters;
  }

  /**
   * Inserts {@code quantity} new serials for the lot, passing each to {@code issued} in insertion
   * order.
   */
  public void allocate(
      Connection tx, ProductConfig product, long lotId, int quantity, Consumer<String> issued)
      throws SQLException, NumberingException {
    if (product.serials().pool().isPresent()) {
      // The provider's serials, checked as they came; the caller has made sure there are enough.
      PoolStore.take(tx, product.gtin(), lotId, quantity, issued);
      return;
    }
    boolean sequential = product.serials().mode() == SerialMode.SEQUENTIAL;
    Space space = sequential ? sequential(product) : random(product);
    long value = counters.current(tx, space.counter());
    try (PreparedStatement insert =
        tx.prepareStatement(
            "INSERT OR IGNORE INTO serials(gtin, serial, lot_id) VALUES(?, ?, ?)")) {
      for (int done = 0; done < quantity; ) {
        int chunk = Math.min(CHUNK, quantity - done);
        if (space.limit() - value < chunk) {
          throw new NumberingException(space.exhausted());
        }
        List<String> candidates = new ArrayList<>(chunk);
        space.draw().serials(value + 1, chunk, candidates);
        value += chunk;
        if (!sequential) {
          // In key order the unique index is filled page by page instead of all over the file.
          Collections.sort(candidates);
        }
        done += insert(insert, product.gtin(), lotId, candidates, issued);
      }
    }
    counters.set(
        tx, space.counter(), value, Counters.step(Math.max(quantity, STEP), space.limit()));
  }

  private static Space sequential(ProductConfig product) {
    int length = product.serials().length();
    return new Space(
        "serial:" + product.gtin(),
        SerialPermutation.domain(10, length) - 1,
        (first, count, into) -> {
          for (long value = first; value < first + count; value++) {
            into.add(LotPattern.zeroPadded(value, length));
          }
        },
        "sequential serial numbers for GTIN "
            + product.gtin()
            + " are exhausted at "
            + length
            + " digits");
  }

  private Space random(ProductConfig product) {
    SerialPermutation permutation =
        permutations.computeIfAbsent(
            product,
            p ->
                new SerialPermutation(
                    counters.serialKey(),
                    p.gtin(),
                    p.serials().alphabet().characters(),
                    p.serials().length()));
    return new Space(
        "random:" + product.gtin(),
        permutation.size(),
        (first, count, into) -> permutation.serials(first - 1, count, into),
        "serial numbers for GTIN "
            + product.gtin()
            + " are exhausted ("
            + product.serials().length()
            + " characters); lengthen products[].serials.length");
  }

  private static int insert(
      PreparedStatement insert,
      String gtin,
      long lotId,
      List<String> candidates,
      Consumer<String> issued)
      throws SQLException {
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
}
