package dev.linegate.gateway.it;

import dev.linegate.gateway.auth.Accounts;
import dev.linegate.gateway.auth.Actor;
import dev.linegate.gateway.auth.Passwords;
import dev.linegate.gateway.auth.Role;
import dev.linegate.gateway.store.Database;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The users and tokens a test needs, written into the gateway's database as the {@code users} and
 * {@code tokens} commands write them, while the gateway runs or before it starts.
 */
final class TestUsers {

  /** The test's admin: allowed everything, and signs. */
  static final String ADMIN = "qa-admin";

  /** The password of every user a test creates. */
  static final String PASSWORD = "test-password-1";

  /** A signature with {@link #PASSWORD}, as a JSON member. */
  static final String SIGNATURE =
      "\"signature\": {\"password\": \"" + PASSWORD + "\", \"meaning\": \"approved\"}";

  // bcrypt is slow on purpose: hashed once for every user of the run.
  private static final String HASH = Passwords.hash(PASSWORD.toCharArray());

  private TestUsers() {}

  /** Adds the user, with {@link #PASSWORD}, unless there is one of that name. */
  static void ensure(Path dataDir, String name, Role role) {
    try {
      Database.open(dataDir)
          .writeBeside(
              tx ->
                  Accounts.find(tx, name).isPresent()
                      ? null
                      : Accounts.addUser(tx, name, role, HASH, Actor.commandLine(), now()));
    } catch (Exception e) {
      throw new AssertionError("could not add user " + name + " to " + dataDir + ": " + e, e);
    }
  }

  /** A new bearer token. */
  static String token(Path dataDir, String name, Role role) {
    try {
      return Database.open(dataDir)
          .writeBeside(tx -> Accounts.createToken(tx, name, role, Actor.commandLine(), now()))
          .secret();
    } catch (Exception e) {
      throw new AssertionError("could not create token " + name + " in " + dataDir + ": " + e, e);
    }
  }

  private static Instant now() {
    return Instant.now().truncatedTo(ChronoUnit.MILLIS);
  }
}
