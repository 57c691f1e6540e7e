package dev.linegate.gateway.auth;

import dev.linegate.gateway.store.ReadPool;
import dev.linegate.gateway.store.Refused;
import dev.linegate.gateway.store.Refused.Kind;
import dev.linegate.gateway.store.StoreWriter;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logins, sessions, tokens, signatures and the management of users and tokens, for the API. Every
 * check of a password (slow on purpose) runs on the caller's thread, an API worker, never on the
 * store writer; the writes go through the writer with their audit entries.
 */
public final class Access {

  private static final Logger log = LoggerFactory.getLogger(Access.class);

  /** A session as the client holds it (the cookie's value) and whose it is. */
  public record Session(String secret, Principal principal, Instant expires) {}

  private final ReadPool reads;
  private final StoreWriter writer;
  private final Duration sessionLength;
  private final Clock clock;
  private final LoginThrottle throttle;

  public Access(ReadPool reads, StoreWriter writer, Duration sessionLength, Clock clock) {
    this.reads = reads;
    this.writer = writer;
    this.sessionLength = sessionLength;
    this.clock = clock;
    this.throttle = new LoginThrottle(clock);
  }

  public Duration sessionLength() {
    return sessionLength;
  }

  /** A new session for the user, if the password is theirs; {@code address} is the client's. */
  public Session login(String user, String password, String address) throws Exception {
    refuseWhileThrottled(user, address);
    Optional<Accounts.Login> login = reads.read(c -> Accounts.login(c, user));
    if (!Passwords.matches(login.map(Accounts.Login::passwordHash), password.toCharArray())) {
      throttle.failed(user, address);
      // The name only if it is a user's: a password typed into the name field stays out of the
      // log.
      log.warn(
          "Failed login from {} for {}",
          address,
          login.map(l -> "user " + l.name()).orElse("a name that is no enabled user's"));
      if (!reads.read(Accounts::anyUser)) {
        throw new AccessDenied(
            401,
            "no users yet",
            "the gateway has no users: create the first admin with"
                + " java -jar linegate-gateway.jar users add NAME --role admin --config FILE");
      }
      throw new AccessDenied(401, "login failed", "wrong user name or password");
    }
    throttle.succeeded(user);
    Instant now = now();
    Instant expires = now.plus(sessionLength);
    String secret = writer.decide(tx -> Accounts.openSession(tx, login.get(), now, expires));
    return new Session(secret, login.get().principal(), expires);
  }

  public void logout(String secret, Principal user) throws Exception {
    writer.decide(tx -> Accounts.closeSession(tx, secret, user, now()));
  }

  /** The user of a session cookie, or the holder of a bearer token. */
  public Optional<Principal> session(String secret) throws SQLException {
    return reads.read(c -> Accounts.sessionUser(c, secret, now()));
  }

  public Optional<Principal> token(String secret) throws SQLException {
    return reads.read(c -> Accounts.tokenHolder(c, secret));
  }

  /**
   * A signature (21 CFR 11.200): the signer gives their password again, and a meaning. Only a
   * person signs; a wrong password counts as a failed login.
   */
  public Actor sign(Principal signer, String password, Meaning meaning, String address)
      throws Exception {
    confirm(
        signer,
        password,
        address,
        "sign: only a person with a password signs",
        new AccessDenied(403, "signature refused", "the signature's password is not yours"));
    return signer.actor().signing(meaning);
  }

  /**
   * A user sets their own password, giving the current one (a session left open on a station does
   * not let someone else take the account over). All their sessions end, this one too.
   */
  public void changeOwnPassword(Principal user, String current, String next, String address)
      throws Exception {
    confirm(
        user,
        current,
        address,
        "change a password: a token has none",
        new AccessDenied(403, "password refused", "the current password is not yours"));
    setPassword(user.actor(), user.name(), next);
  }

  /** The user's own password again; a wrong one counts as a failed login and is {@code wrong}. */
  private void confirm(
      Principal user, String password, String address, String tokenRefusal, AccessDenied wrong)
      throws Exception {
    if (user.userId().isEmpty()) {
      throw AccessDenied.notAllowed(user, tokenRefusal);
    }
    refuseWhileThrottled(user.name(), address);
    Optional<Accounts.Login> login = reads.read(c -> Accounts.login(c, user.userId().get()));
    if (!Passwords.matches(login.map(Accounts.Login::passwordHash), password.toCharArray())) {
      throttle.failed(user.name(), address);
      log.warn("Wrong password ({}) from {} for user {}", wrong.getMessage(), address, user.name());
      throw wrong;
    }
    throttle.succeeded(user.name());
  }

  public List<User> users() throws SQLException {
    return reads.read(Accounts::users);
  }

  public User addUser(Actor by, String name, String role, String password) throws Exception {
    Role checked = personRole(role);
    String hash = Passwords.hash(usable(name, password).toCharArray());
    return writer.decide(tx -> Accounts.addUser(tx, name, checked, hash, by, now()));
  }

  public User disable(Actor by, String name) throws Exception {
    return writer.decide(tx -> Accounts.disable(tx, name, by, now()));
  }

  public void setPassword(Actor by, String name, String password) throws Exception {
    String hash = Passwords.hash(usable(name, password).toCharArray());
    writer.decide(
        tx -> {
          Accounts.setPassword(tx, name, hash, by, now());
          return name;
        });
  }

  public List<Token> tokens() throws SQLException {
    return reads.read(Accounts::tokens);
  }

  public Token.Created createToken(Actor by, String name, String role) throws Exception {
    Role checked = tokenRole(role);
    refuseBadName(name);
    return writer.decide(tx -> Accounts.createToken(tx, name, checked, by, now()));
  }

  public Token revokeToken(Actor by, long id) throws Exception {
    return writer.decide(tx -> Accounts.revokeToken(tx, id, by, now()));
  }

  /** The role a user may have, or why not. */
  public static Role personRole(String text) throws Refused {
    Role role = role(text);
    if (!role.forPeople()) {
      throw new Refused(
          Kind.INVALID,
          "bad role",
          "integrator is the role of a token (tokens create), not of a user");
    }
    return role;
  }

  public static Role tokenRole(String text) throws Refused {
    Role role = role(text);
    if (!role.forTokens()) {
      throw new Refused(
          Kind.INVALID,
          "bad role",
          "a token cannot be admin: users and tokens are managed by people");
    }
    return role;
  }

  /** The password, if the name and the password can be a user's. */
  public static String usable(String name, String password) throws Refused {
    refuseBadName(name);
    Optional<String> weakness = Passwords.weakness(password);
    if (weakness.isPresent()) {
      throw new Refused(Kind.INVALID, "bad password", weakness.get());
    }
    if (password.equalsIgnoreCase(name)) {
      throw new Refused(Kind.INVALID, "bad password", "a password may not be the user's name");
    }
    return password;
  }

  private static Role role(String text) throws Refused {
    return Role.of(text)
        .orElseThrow(
            () ->
                new Refused(
                    Kind.INVALID,
                    "bad role",
                    "role must be one of " + Role.choices() + ", not " + text));
  }

  private static void refuseBadName(String name) throws Refused {
    Optional<String> bad = Accounts.badName(name);
    if (bad.isPresent()) {
      throw new Refused(Kind.INVALID, "bad name", bad.get());
    }
  }

  private void refuseWhileThrottled(String user, String address) throws AccessDenied {
    Optional<Duration> wait = throttle.wait(user, address);
    if (wait.isPresent()) {
      long seconds = Math.max(1, wait.get().toSeconds());
      throw new AccessDenied(
          429,
          "too many failed passwords",
          "try again in " + seconds + " s; each further failure doubles the wait",
          Optional.of(Duration.ofSeconds(seconds)));
    }
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MILLIS);
  }
}
