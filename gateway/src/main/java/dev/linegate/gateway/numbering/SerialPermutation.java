package dev.linegate.gateway.numbering;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.SecretKeySpec;

/**
 * Random serials from a counter: FF1 (NIST SP 800-38G, format-preserving encryption with AES),
 * keyed by the gateway's serial key and tweaked by the GTIN, maps the counter's value, written in
 * base {@code alphabet.length()} with {@code length} digits, to a serial of the same shape. FF1 is
 * a bijection on that domain, so a counter that only moves forward never repeats a serial, and
 * without the key the next serial cannot be told from the last ones.
 *
 * <p>Written here rather than taken from BouncyCastle's {@code FPEFF1Engine}, which gives the same
 * serials (SerialPermutationTest compares the two) but at about 6 us each: big-number arithmetic
 * and a CBC-MAC over the whole of P || Q in every round. A serial's halves fit in a {@code long}
 * here (at most 20 characters of 36 symbols), and all of P || Q but its last block is the same in
 * every round, so its CBC-MAC state is computed once: a round is one AES block (the JDK's, which
 * uses the CPU's AES instructions) and a few divisions. The writer issues the serials of a lot
 * inside its transaction, so their cost is the writer's; an instance keeps its buffers and cipher
 * for that one thread.
 */
public final class SerialPermutation {

  /** FF1 refuses smaller domains: they are too small to hide anything. */
  public static final long MIN_DOMAIN = 1_000_000;

  private static final int ROUNDS = 10;
  private static final int BLOCK = 16;

  /** Keeps {@code remainder * 256 + 255} inside a {@code long} for every half's modulus. */
  private static final long MAX_HALF = 1L << 55;

  private final Cipher aes;
  private final String alphabet;
  private final int radix;
  private final int length;

  /** Characters in B, the second half (v = length - length / 2). */
  private final int v;

  private final long domain;

  /** radix^u and radix^v: the moduli of the two halves (u = length / 2, v = length - u). */
  private final long modU;

  private final long modV;

  /** Bytes of NUM(B) in Q (b), and bytes of the round's output that count (d). */
  private final int b;

  private final int d;

  /** The CBC-MAC state after P and every block of Q but the last, which alone changes. */
  private final byte[] chained;

  /** Q's last block with the round number and NUM(B) still zero. */
  private final byte[] lastOfQ;

  private final byte[] block = new byte[BLOCK];
  private final byte[] mac = new byte[BLOCK];
  private final char[] serial;

  SerialPermutation(byte[] key, String gtin, String alphabet, int length) {
    this.alphabet = alphabet;
    this.radix = alphabet.length();
    this.length = length;
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
    int u = length / 2;
    this.v = length - u;
    this.modU = domain(radix, u);
    this.modV = domain(radix, v);
    if (modV >= MAX_HALF) {
      throw new IllegalArgumentException(
          "random serials of " + length + " characters from " + radix + " are too long for FF1");
    }
    this.b = (64 - Long.numberOfLeadingZeros(modV - 1) + 7) / 8;
    this.d = 4 * ((b + 3) / 4) + 4;
    this.serial = new char[length];
    try {
      aes = Cipher.getInstance("AES/ECB/NoPadding");
      aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES cannot take the serial key: " + e.getMessage(), e);
    }
    byte[] tweak = gtin.getBytes(StandardCharsets.US_ASCII);
    int t = tweak.length;
    byte[] p = {
      1,
      2,
      1,
      (byte) (radix >> 16),
      (byte) (radix >> 8),
      (byte) radix,
      10,
      (byte) u,
      (byte) (length >> 24),
      (byte) (length >> 16),
      (byte) (length >> 8),
      (byte) length,
      (byte) (t >> 24),
      (byte) (t >> 16),
      (byte) (t >> 8),
      (byte) t
    };
    // Q = T || 0^((-t-b-1) mod 16) || [i] || [NUM(B)]^b, a whole number of blocks.
    byte[] q = new byte[t + Math.floorMod(-t - b - 1, BLOCK) + 1 + b];
    System.arraycopy(tweak, 0, q, 0, t);
    this.chained = encrypt(p);
    for (int at = 0; at < q.length - BLOCK; at += BLOCK) {
      for (int i = 0; i < BLOCK; i++) {
        chained[i] ^= q[at + i];
      }
      System.arraycopy(encrypt(chained), 0, chained, 0, BLOCK);
    }
    this.lastOfQ = new byte[BLOCK];
    System.arraycopy(q, q.length - BLOCK, lastOfQ, 0, BLOCK);
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
    // The numeral string of the index: A its first u digits, B its last v.
    long a = index / modV;
    long numB = index % modV;
    for (int round = 0; round < ROUNDS; round++) {
      long modulus = round % 2 == 0 ? modU : modV;
      long c = a + roundValue(round, numB, modulus);
      a = numB;
      numB = c >= modulus ? c - modulus : c;
    }
    // A then B, each written on its own: together they can exceed a long (20 characters).
    write(numB, length - 1, v);
    write(a, length - v - 1, length - v);
    return new String(serial);
  }

  private void write(long value, int last, int count) {
    for (int i = last; i > last - count; i--) {
      serial[i] = alphabet.charAt((int) (value % radix));
      value /= radix;
    }
  }

  /** y mod {@code modulus}: NUM of the first d bytes of PRF(P || Q) for this round and B. */
  private long roundValue(int round, long numB, long modulus) {
    System.arraycopy(lastOfQ, 0, block, 0, BLOCK);
    block[BLOCK - 1 - b] = (byte) round;
    for (int i = BLOCK - 1, left = b; left > 0; i--, left--) {
      block[i] = (byte) numB;
      numB >>>= 8;
    }
    for (int i = 0; i < BLOCK; i++) {
      block[i] ^= chained[i];
    }
    try {
      aes.update(block, 0, BLOCK, mac, 0);
    } catch (ShortBufferException e) {
      throw new IllegalStateException("a block fits its own size", e);
    }
    long first = 0;
    for (int i = 0; i < 8; i++) {
      first = first << 8 | (mac[i] & 0xff);
    }
    long y = Long.remainderUnsigned(first, modulus);
    for (int i = 8; i < d; i++) {
      y = (y * 256 + (mac[i] & 0xff)) % modulus;
    }
    return y;
  }

  private byte[] encrypt(byte[] in) {
    try {
      return aes.doFinal(in);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES of one block cannot fail", e);
    }
  }
}
