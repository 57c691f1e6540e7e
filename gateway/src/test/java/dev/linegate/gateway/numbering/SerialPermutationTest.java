package dev.linegate.gateway.numbering;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.bouncycastle.crypto.fpe.FPEFF1Engine;
import org.bouncycastle.crypto.params.FPEParameters;
import org.bouncycastle.crypto.params.KeyParameter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

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

  /**
   * NIST SP 800-38G's FF1 samples 1, 2 (AES-128), 7 and 8 (AES-256), tweaks as ASCII; samples 3 and
   * 9 (19 characters of 36) have more values than a counter (a long) reaches.
   */
  @ParameterizedTest
  @CsvSource({
    "2B7E151628AED2A6ABF7158809CF4F3C, '', 0123456789, 2433477484",
    "2B7E151628AED2A6ABF7158809CF4F3C, 9876543210, 0123456789, 6124200773",
    "2B7E151628AED2A6ABF7158809CF4F3CEF4359D8D580AA4F7F036D6F04FC6A94, '', 0123456789, 6657667009",
    "2B7E151628AED2A6ABF7158809CF4F3CEF4359D8D580AA4F7F036D6F04FC6A94, 9876543210, 0123456789, 1001623463"
  })
  void nistSamplesComeOutAsPublished(String key, String tweak, String plain, String cipher) {
    SerialPermutation permutation =
        new SerialPermutation(HexFormat.of().parseHex(key), tweak, NUMERIC, plain.length());
    assertThat(permutation.serial(Long.parseLong(plain))).isEqualTo(cipher);
  }

  /**
   * The serials issued before this class computed FF1 itself came from BouncyCastle's engine: a
   * counter must go on mapping to the same serial, or the next ones could repeat the old ones. The
   * first 3,000 are drawn as the allocator draws them, in one call across several chunks.
   */
  @ParameterizedTest
  @CsvSource({"10, 6", "10, 7", "10, 12", "10, 20", "36, 4", "36, 11", "36, 12", "36, 20"})
  void serialsAreThoseOfBouncyCastlesFf1(int radix, int length) {
    String alphabet = ALPHANUMERIC.substring(0, radix);
    byte[] key = key(7);
    SerialPermutation permutation = new SerialPermutation(key, GTIN, alphabet, length);
    FPEFF1Engine reference = new FPEFF1Engine();
    reference.init(true, new FPEParameters(new KeyParameter(key), radix, GTIN.getBytes(US_ASCII)));
    Random random = new Random(length);
    List<String> drawn = new ArrayList<>();
    permutation.serials(0, 3_000, drawn);
    for (int n = 0; n < 4_000; n++) {
      long index = n < 3_000 ? n : Math.floorMod(random.nextLong(), permutation.size());
      byte[] digits = new byte[length];
      long rest = index;
      for (int i = length - 1; i >= 0; i--) {
        digits[i] = (byte) (rest % radix);
        rest /= radix;
      }
      byte[] permuted = new byte[length];
      reference.processBlock(digits, 0, length, permuted, 0);
      StringBuilder expected = new StringBuilder();
      for (byte digit : permuted) {
        expected.append(alphabet.charAt(digit));
      }
      String serial = n < 3_000 ? drawn.get(n) : permutation.serial(index);
      assertThat(serial).as("index %d", index).isEqualTo(expected.toString());
    }
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
