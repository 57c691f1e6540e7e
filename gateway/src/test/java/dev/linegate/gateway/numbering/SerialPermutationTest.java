package dev.linegate.gateway.numbering;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Random serials are a keyed bijection of a counter: never a repeat, never the same for another key
 * or GTIN.
 */
class SerialPermutationTest {

  private static final String NUMERIC = "0123456789";
  private static final String ALPHANUMERIC = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
  private static final String GTIN = "09506000134352";

  @Test
  void consecutiveCountersGiveDistinctSerialsOfTheConfiguredShape() {
    SerialPermutation permutation = new SerialPermutation(key(1), GTIN, NUMERIC, 6);
    Set<String> serials = new HashSet<>();
    for (long i = 0; i < 100_000; i++) {
      serials.add(permutation.serial(i));
    }
    assertThat(serials).hasSize(100_000).allMatch(s -> s.matches("\\d{6}"));
  }

  @Test
  void theSameKeyAndGtinGiveTheSameSerialsAgain() {
    assertThat(first(new SerialPermutation(key(1), GTIN, NUMERIC, 12), 100))
        .isEqualTo(first(new SerialPermutation(key(1), GTIN, NUMERIC, 12), 100));
  }

  @Test
  void anotherKeyOrGtinGivesAnotherSequence() {
    List<String> base = first(new SerialPermutation(key(1), GTIN, NUMERIC, 12), 1000);
    List<String> otherKey = first(new SerialPermutation(key(2), GTIN, NUMERIC, 12), 1000);
    List<String> otherGtin =
        first(new SerialPermutation(key(1), "09521234543213", NUMERIC, 12), 1000);
    // With 10^12 values, a shared serial among a thousand would be a one-in-a-million coincidence.
    assertThat(otherKey).doesNotContainAnyElementsOf(base);
    assertThat(otherGtin).doesNotContainAnyElementsOf(base);
  }

  @Test
  void serialsDoNotCountUpWithTheCounter() {
    List<String> serials = first(new SerialPermutation(key(1), GTIN, NUMERIC, 12), 1000);
    assertThat(serials).isNotEqualTo(serials.stream().sorted().toList());
    assertThat(serials.get(0)).isNotEqualTo("000000000000");
  }

  @Test
  void alphanumericSerialsUseEveryDigitAndCapitalAndNothingElse() {
    List<String> serials = first(new SerialPermutation(key(3), GTIN, ALPHANUMERIC, 20), 1000);
    assertThat(serials).allMatch(s -> s.matches("[0-9A-Z]{20}"));
    assertThat(new HashSet<>(String.join("", serials).chars().boxed().toList())).hasSize(36);
  }

  @Test
  void aDomainUnderAMillionIsRefused() {
    assertThatThrownBy(() -> new SerialPermutation(key(1), GTIN, NUMERIC, 5))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(new SerialPermutation(key(1), GTIN, ALPHANUMERIC, 4).size())
        .isEqualTo(36L * 36 * 36 * 36);
    assertThat(SerialPermutation.domain(10, 20))
        .as("saturated, not overflowed")
        .isEqualTo(Long.MAX_VALUE);
  }

  private static List<String> first(SerialPermutation permutation, int count) {
    List<String> serials = new ArrayList<>(count);
    for (long i = 0; i < count; i++) {
      serials.add(permutation.serial(i));
    }
    return serials;
  }

  private static byte[] key(int seed) {
    byte[] key = new byte[32];
    key[0] = (byte) seed;
    return key;
  }
}
