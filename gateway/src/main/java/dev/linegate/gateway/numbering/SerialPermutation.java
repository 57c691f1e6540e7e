package dev.linegate.gateway.numbering;

import java.nio.charset.StandardCharsets;
import org.bouncycastle.crypto.fpe.FPEFF1Engine;
import org.bouncycastle.crypto.params.FPEParameters;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * Random serials from a counter: FF1 (NIST SP 800-38G, format-preserving encryption with AES),
 * keyed by the gateway's serial key and tweaked by the GTIN, maps the counter's value, written in
 * base {@code alphabet.length()} with {@code length} digits, to a serial of the same shape. FF1 is
 * a bijection on that domain, so a counter that only moves forward never repeats a serial, and
 * without the key the next serial cannot be told from the last ones.
 */
public final class SerialPermutation {

  /** FF1 (and BouncyCastle) refuse smaller domains: they are too small to hide anything. */
  public static final long MIN_DOMAIN = 1_000_000;

  private final FPEFF1Engine engine = new FPEFF1Engine();
  private final String alphabet;
  private final int radix;
  private final long domain;
  private final byte[] digits;
  private final byte[] permuted;
  private final char[] serial;

  SerialPermutation(byte[] key, String gtin, String alphabet, int length) {
    this.alphabet = alphabet;
    this.radix = alphabet.length();
    this.domain = domain(radix, length);
    if (domain < MIN_DOMAIN) {
      throw new IllegalArgumentException(
          "random serials of "
              + length
              + " characters from "
              + radix
              + " have fewer than "
              + MIN_DOMAIN
              + " values");
    }
    this.digits = new byte[length];
    this.permuted = new byte[length];
    this.serial = new char[length];
    engine.init(
        true,
        new FPEParameters(new KeyParameter(key), radix, gtin.getBytes(StandardCharsets.US_ASCII)));
  }

  /**
   * How many values {@code length} characters of {@code radix} symbols can take, at most {@link
   * Long#MAX_VALUE}.
   */
  public static long domain(int radix, int length) {
    long values = 1;
    for (int i = 0; i < length; i++) {
      if (values > Long.MAX_VALUE / radix) {
        return Long.MAX_VALUE;
      }
      values *= radix;
    }
    return values;
  }

  /** The number of serials: indexes run from 0 to {@code size() - 1}. */
  long size() {
    return domain;
  }

  String serial(long index) {
    if (index < 0 || index >= domain) {
      throw new IllegalArgumentException("index " + index + " is outside 0.." + (domain - 1));
    }
    long rest = index;
    for (int i = digits.length - 1; i >= 0; i--) {
      digits[i] = (byte) (rest % radix);
      rest /= radix;
    }
    engine.processBlock(digits, 0, digits.length, permuted, 0);
    for (int i = 0; i < permuted.length; i++) {
      serial[i] = alphabet.charAt(permuted[i]);
    }
    return new String(serial);
  }
}
