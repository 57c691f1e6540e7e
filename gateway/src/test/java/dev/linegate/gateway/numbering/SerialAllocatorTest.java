package dev.linegate.gateway.numbering;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.linegate.gateway.config.ProductConfig;
import dev.linegate.gateway.config.ProductConfig.Alphabet;
import dev.linegate.gateway.config.ProductConfig.SerialMode;
import dev.linegate.gateway.config.ProductConfig.SerialSpec;
import dev.linegate.gateway.core.CoreThread;
import dev.linegate.gateway.store.Database;
import dev.linegate.gateway.store.StoreWriter;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Against a real SQLite file: the unique index is what guarantees a serial is never issued twice.
 */
class SerialAllocatorTest {

  @TempDir Path dir;
  private StoreWriter writer;
  private SerialAllocator allocator;
  private byte[] key;

  @BeforeEach
  void open() throws Exception {
    writer = new StoreWriter(Database.open(dir), 100, CoreThread.Fatal.NONE);
    Counters counters = writer.submit(tx -> Counters.open(tx, dir)).get();
    allocator = new SerialAllocator(counters);
    key = counters.serialKey();
    writer
        .submit(
            tx ->
                tx.createStatement()
                    .executeUpdate(
                        "INSERT INTO lots(id, lot, line, batch_id, product, gtin, quantity, production_date, expiry_date, committed_at, origin, raw)"
                            + " VALUES(1, 'LOT1', 'L1', 'B1', 'P', '09506000134352', 1, '2026-01-01', '2026-01-02', unixepoch() * 1000, 'test', '{}')"))
        .get();
  }

  @AfterEach
  void close() {
    writer.close();
  }

  @Test
  void sequentialSerialsCountOnAcrossLotsAndSkipNumbersAlreadyTaken() throws Exception {
    ProductConfig product = product(SerialMode.SEQUENTIAL, 6, Alphabet.NUMERIC);
    writer
        .submit(
            tx -> {
              try (PreparedStatement taken =
                  tx.prepareStatement(
                      "INSERT INTO serials(gtin, serial, lot_id) VALUES('09506000134352', '000003', 1)")) {
                return taken.executeUpdate();
              }
            })
        .get();
    assertThat(allocate(product, 4)).containsExactly("000001", "000002", "000004", "000005");
    assertThat(allocate(product, 2)).containsExactly("000006", "000007");
  }

  @Test
  void randomSerialsAreTheCounterThroughTheKeyedPermutationAndSkipSerialsAlreadyTaken()
      throws Exception {
    ProductConfig product = product(SerialMode.RANDOM, 12, Alphabet.NUMERIC);
    SerialPermutation permutation = new SerialPermutation(key, product.gtin(), "0123456789", 12);
    // As if issued earlier in another mode: the counter moves on past it.
    writer
        .submit(
            tx ->
                tx.createStatement()
                    .executeUpdate(
                        "INSERT INTO serials(gtin, serial, lot_id) VALUES('09506000134352', '"
                            + permutation.serial(1)
                            + "', 1)"))
        .get();
    List<String> serials = allocate(product, 3);
    assertThat(serials)
        .containsExactlyInAnyOrder(
            permutation.serial(0), permutation.serial(2), permutation.serial(3));
    assertThat(allocate(product, 2))
        .containsExactlyInAnyOrder(permutation.serial(4), permutation.serial(5));
  }

  @Test
  void theLastRandomSerialOfTheSpaceIsIssuedAndThenTheSpaceIsExhausted() throws Exception {
    ProductConfig product = product(SerialMode.RANDOM, 6, Alphabet.NUMERIC);
    writer
        .submit(
            tx ->
                tx.createStatement()
                    .executeUpdate(
                        "INSERT INTO counters(name, value) VALUES('random:09506000134352', 999995)"))
        .get();
    assertThat(allocate(product, 5)).hasSize(5).doesNotHaveDuplicates();
    assertThatThrownBy(() -> allocate(product, 1))
        .hasRootCauseInstanceOf(NumberingException.class)
        .hasMessageContaining("exhausted");
  }

  @Test
  void aMillionRandomSerialsTakeSecondsNotMinutes() throws Exception {
    ProductConfig product = product(SerialMode.RANDOM, 12, Alphabet.NUMERIC);
    long started = System.nanoTime();
    int[] count = {0};
    writer
        .submit(
            tx -> {
              try {
                allocator.allocate(tx, product, 1, 1_000_000, serial -> count[0]++);
                return null;
              } catch (NumberingException e) {
                throw new IllegalStateException(e);
              }
            })
        .get(120, TimeUnit.SECONDS);
    double seconds = (System.nanoTime() - started) / 1e9;
    System.out.printf(
        "1,000,000 random serials allocated and inserted in %.1f s (%,.0f serials/s)%n",
        seconds, 1e6 / seconds);
    assertThat(count[0]).isEqualTo(1_000_000);
    assertThat(seconds).isLessThan(60);
  }

  @Test
  void anExhaustedSerialSpaceIsAnErrorNotARepeat() throws Exception {
    ProductConfig product = product(SerialMode.SEQUENTIAL, 1, Alphabet.NUMERIC);
    assertThat(allocate(product, 9)).hasSize(9);
    assertThatThrownBy(() -> allocate(product, 1))
        .hasRootCauseInstanceOf(NumberingException.class)
        .hasMessageContaining("exhausted");
  }

  @Test
  void alphanumericSerialsUseDigitsAndCapitalsOnly() throws Exception {
    List<String> serials = allocate(product(SerialMode.RANDOM, 20, Alphabet.ALPHANUMERIC), 1000);
    assertThat(serials).allMatch(s -> s.matches("[0-9A-Z]{20}"));
    assertThat(new HashSet<>(String.join("", serials).chars().boxed().toList())).hasSize(36);
  }

  private List<String> allocate(ProductConfig product, int quantity)
      throws InterruptedException, ExecutionException, java.util.concurrent.TimeoutException {
    return writer
        .submit(
            tx -> {
              try {
                List<String> issued = new java.util.ArrayList<>();
                allocator.allocate(tx, product, 1, quantity, issued::add);
                return issued;
              } catch (NumberingException e) {
                throw new IllegalStateException(e);
              }
            })
        .get(30, TimeUnit.SECONDS);
  }

  private static ProductConfig product(SerialMode mode, int length, Alphabet alphabet) {
    return new ProductConfig(
        "P",
        "09506000134352",
        10,
        new SerialSpec(
            mode, length, alphabet, java.util.Optional.empty(), ProductConfig.Reprint.SAME_SERIAL),
        java.util.Optional.empty());
  }
}
