package dev.linegate.gateway.numbering;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
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
 * uses the CPU's AES instructions) and a few divisions, and the rounds of many serials are one call
 * of the cipher. The writer issues the serials of a lot inside its transaction, so their cost is
 * the writer's; an instance keeps its buffers and cipher for that one thread.
 */
public final class SerialPermutation {

  /** FF1 refuses smaller domains: they are too small to hide anything. */
  public static final long MIN_DOMAIN = 1_000_000;

  private static final int ROUNDS = 10;
  private static final int BLOCK = 16;

  /**
   * Serials computed together: enough that the call's cost vanishes, few enough that each product's
   * instance keeps only 48 KB.
   */
  private static final int CHUNK = 1_024;

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

  /**
   * Q's last block, with the round number and NUM(B) still zero, XORed with the CBC-MAC state after
   * P and the rest of Q: the last input of every round's CBC-MAC but for those two.
   */
  private final byte[] lastOfQChained;

  /** A chunk's halves, input blocks and PRF outputs, kept between chunks. */
  private final long[] a = new long[CHUNK];

  private final long[] numB = new long[CHUNK];
  private final byte[] blocks = new byte[CHUNK * BLOCK];
  private final byte[] macs = new byte[CHUNK * BLOCK];
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
    // The CBC-MAC state after P and every block of Q but the last, which alone changes.
    byte[] chained = encrypt(p);
    for (int at = 0; at < q.length - BLOCK; at += BLOCK) {
      for (int i = 0; i < BLOCK; i++) {
        chained[i] ^= q[at + i];
      }
      System.arraycopy(encrypt(chained), 0, chained, 0, BLOCK);
    }
    this.lastOfQChained = new byte[BLOCK];
    for (int i = 0; i < BLOCK; i++) {
      lastOfQChained[i] = (byte) (q[q.length - BLOCK + i] ^ chained[i]);
    }
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
    List<String> one = new ArrayList<>(1);
    serials(index, 1, one);
    return one.get(0);
  }

  /**
   * Adds the serials of indexes {@code first} to {@code first + count - 1} to {@code into}, in that
   * order. The serials of a chunk go through each round together: one {@code Cipher} call encrypts
   * all their blocks (ECB keeps them apart), where a call per block cost more than the AES in it.
   */
  void serials(long first, int count, List<String> into) {
    if (first < 0 || count < 0 || count > domain - first) {
      throw new IllegalArgumentException(
          "indexes " + first + " + " + count + " are outside 0.." + (domain - 1));
    }
    for (int done = 0; done < count; done += CHUNK) {
      chunk(first + done, Math.min(CHUNK, count - done), into);
    }
  }

  private void chunk(long first, int count, List<String> into) {
    // The numeral string of each index: A its first u digits, B its last v.
    for (int i = 0; i < count; i++) {
      a[i] = (first + i) / modV;
      numB[i] = (first + i) % modV;
    }
    for (int round = 0; round < ROUNDS; round++) {
      long modulus = round % 2 == 0 ? modU : modV;
      for (int i = 0; i < count; i++) {
        int at = i * BLOCK;
        System.arraycopy(lastOfQChained, 0, blocks, at, BLOCK);
        blocks[at + BLOCK - 1 - b] ^= (byte) round;
        long rest = numB[i];
        for (int j = at + BLOCK - 1, left = b; left > 0; j--, left--) {
          blocks[j] ^= (byte) rest;
          rest >>>= 8;
        }
      }
      try {
        aes.update(blocks, 0, count * BLOCK, macs, 0);
      } catch (ShortBufferException e) {
        throw new IllegalStateException("the output is as long as the input", e);
      }
      for (int i = 0; i < count; i++) {
        long c = a[i] + roundValue(i * BLOCK, modulus);
        a[i] = numB[i];
        numB[i] = c >= modulus ? c - modulus : c;
      }
    }
    for (int i = 0; i < count; i++) {
      // A then B, each written on its own: together they can exceed a long (20 characters).
      write(numB[i], length - 1, v);
      write(a[i], length - v - 1, length - v);
      into.add(new String(serial));
    }
  }

  private void write(long value, int last, int count) {
    for (int i = last; i > last - count; i--) {
      serial[i] = alphabet.charAt((int) (value % radix));
      value /= radix;
    }
  }

  /** y mod {@code modulus}: NUM of the first d bytes of the round's PRF output at {@code at}. */
  private long roundValue(int at, long modulus) {
    long first = 0;
    for (int i = at; i < at + 8; i++) {
      first = first << 8 | (macs[i] & 0xff);
    }
    long y = Long.remainderUnsigned(first, modulus);
    for (int i = at + 8; i < at + d; i++) {
      y = (y * 256 + (macs[i] & 0xff)) % modulus;
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
