package dev.linegate.gateway.auth;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Optional;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

/**
 * Passwords as bcrypt hashes (BouncyCastle): salted, and slow on purpose, so that a stolen copy of
 * the database costs an attacker years per strong password. The check compares in constant time.
 */
public final class Passwords {

  /** 2^12 rounds: about a quarter of a second on an industrial PC, once per login or signature. */
  private static final int COST = 12;

  static final int MIN_LENGTH = 10;

  /** bcrypt reads at most 72 bytes: a longer password would be cut without anyone knowing. */
  static final int MAX_BYTES = 72;

  private static final SecureRandom RANDOM = new SecureRandom();

  /**
   * Checked against when the user does not exist, so that the answer takes as long as for a wrong
   * password and does not tell which names exist.
   */
  private static final String NOBODY = hash("no user has this password".toCharArray());

  private Passwords() {}

  public static String hash(char[] password) {
    byte[] salt = new byte[16];
    RANDOM.nextBytes(salt);
    return OpenBSDBCrypt.generate("2b", password, salt, COST);
  }

  public static boolean matches(Optional<String> hash, char[] password) {
    boolean matches = OpenBSDBCrypt.checkPassword(hash.orElse(NOBODY), password);
    return hash.isPresent() && matches;
  }

  /** Why this password may not be set, if it may not. */
  public static Optional<String> weakness(String password) {
    if (password.length() < MIN_LENGTH) {
      return Optional.of("a password needs at least " + MIN_LENGTH + " characters");
    }
    if (password.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
      return Optional.of("a password may have at most " + MAX_BYTES + " bytes (UTF-8)");
    }
    if (password.isBlank() || !password.strip().equals(password)) {
      return Optional.of("a password may not begin or end with a space");
    }
    return Optional.empty();
  }
}
