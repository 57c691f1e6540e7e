package dev.linegate.gateway.auth;

import dev.linegate.gateway.store.Refused;
import dev.linegate.gateway.store.Refused.Kind;
import dev.linegate.gateway.store.StoredTime;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Users, tokens and sessions in the database: the one place their rows are read and written, by the
 * gateway and by its commands alike. Each change appends to the {@link AuditTrail} in its own
 * transaction. Hashing a password is slow, so it is done before, never in here.
 */
public final class Accounts {

  /** Letters, digits and . _ @ -: names that read the same in a log, a table and a shell. */
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,63}");

  private static final String SESSION_PREFIX = "lgs_";
  private static final String TOKEN_PREFIX = "lgt_";

  private Accounts() {}

  /** A user who may log in, with the hash to check the password against. */
  record Login(long id, String name, Role role, String passwordHash) {
    Principal principal() {
      return new Principal(name, role, Optional.of(id));
    }
  }

  /** Why this name cannot be a user's or a token's, if it cannot. */
  public static Optional<String> badName(String name) {
    return NAME.matcher(name).matches()
        ? Optional.empty()
        : Optional.of(
            "a name has 1 to 64 letters, digits and . _ @ -, and begins with a letter or digit");
  }

  public static User addUser(
      Connection tx, String name, Role role, String passwordHash, Actor actor, Instant now)
      throws SQLException, Refused {
    if (find(tx, name).isPresent()) {
      throw new Refused(
          Kind.CONFLICT,
          "user exists",
          "there is already a user " + name + " (users are disabled, never removed)");
    }
    long id;
    try (PreparedStatement insert =
        tx.prepareStatement(
            "INSERT INTO users(name, role, password_hash, created_at) VALUES(?, ?, ?, ?) RETURNING id")) {
      insert.setString(1, name);
      insert.setString(2, role.text());
      insert.setString(3, passwordHash);
      StoredTime.set(insert, 4, now);
      try (ResultSet row = insert.executeQuery()) {
        row.next();
        id = row.getLong(1);
      }
    }
    AuditTrail.append(
        tx, actor, "user.add", "user " + name, Optional.of("role " + role.text()), now);
    return new User(id, name, role, now, Optional.empty());
  }

  public static List<User> users(Connection c) throws SQLException {
    List<User> users = new ArrayList<>();
    try (PreparedStatement select =
            c.prepareStatement(
                "SELECT id, name, role, created_at, disabled_at FROM users ORDER BY name");
        ResultSet row = select.executeQuery()) {
      while (row.next()) {
        users.add(user(row));
      }
    }
    return users;
  }

  public static boolean anyUser(Connection c) throws SQLException {
    try (PreparedStatement select = c.prepareStatement("SELECT 1 FROM users LIMIT 1");
        ResultSet row = select.executeQuery()) {
      return row.next();
    }
  }

  public static Optional<User> find(Connection c, String name) throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT id, name, role, created_at, disabled_at FROM users WHERE name = ?")) {
      select.setString(1, name);
      try (ResultSet row = select.executeQuery()) {
        return row.next() ? Optional.of(user(row)) : Optional.empty();
      }
    }
  }

  /** Disables the user and ends every session of theirs. */
  public static User disable(Connection tx, String name, Actor actor, Instant now)
      throws SQLException, Refused {
    User user = existing(tx, name);
    if (user.disabledAt().isPresent()) {
      throw new Refused(Kind.CONFLICT, "already disabled", "user " + name + " is disabled");
    }
    try (PreparedStatement update =
        tx.prepareStatement("UPDATE users SET disabled_at = ? WHERE id = ?")) {
      StoredTime.set(update, 1, now);
      update.setLong(2, user.id());
      update.executeUpdate();
    }
    endSessions(tx, user.id());
    AuditTrail.append(tx, actor, "user.disable", "user " + user.name(), Optional.empty(), now);
    return new User(user.id(), user.name(), user.role(), user.createdAt(), Optional.of(now));
  }

  /** A new password ends every session the user had: whoever knew the old one is out. */
  public static void setPassword(
      Connection tx, String name, String passwordHash, Actor actor, Instant now)
      throws SQLException, Refused {
    User user = existing(tx, name);
    try (PreparedStatement update =
        tx.prepareStatement("UPDATE users SET password_hash = ? WHERE id = ?")) {
      update.setString(1, passwordHash);
      update.setLong(2, user.id());
      update.executeUpdate();
    }
    endSessions(tx, user.id());
    AuditTrail.append(tx, actor, "user.password", "user " + user.name(), Optional.empty(), now);
  }

  static Optional<Login> login(Connection c, String name) throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT id, name, role, password_hash FROM users WHERE name = ? AND disabled_at IS NULL")) {
      select.setString(1, name);
      return login(select);
    }
  }

  static Optional<Login> login(Connection c, long userId) throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT id, name, role, password_hash FROM users WHERE id = ? AND disabled_at IS NULL")) {
      select.setLong(1, userId);
      return login(select);
    }
  }

  private static Optional<Login> login(PreparedStatement select) throws SQLException {
    try (ResultSet row = select.executeQuery()) {
      if (!row.next()) {
        return Optional.empty();
      }
      Optional<Role> role = Role.of(row.getString("role"));
      if (role.isEmpty()) {
        return Optional.empty();
      }
      return Optional.of(
          new Login(
              row.getLong("id"),
              row.getString("name"),
              role.get(),
              row.getString("password_hash")));
    }
  }

  /** Opens a session; returns its secret, the cookie's value. Drops the sessions that expired. */
  static String openSession(Connection tx, Login user, Instant now, Instant expires)
      throws SQLException {
    try (PreparedStatement delete =
        tx.prepareStatement("DELETE FROM sessions WHERE expires_at <= ?")) {
      StoredTime.set(delete, 1, now);
      delete.executeUpdate();
    }
    String secret = Secrets.create(SESSION_PREFIX);
    try (PreparedStatement insert =
        tx.prepareStatement(
            "INSERT INTO sessions(hash, user_id, created_at, expires_at) VALUES(?, ?, ?, ?)")) {
      insert.setString(1, Secrets.hash(secret));
      insert.setLong(2, user.id());
      StoredTime.set(insert, 3, now);
      StoredTime.set(insert, 4, expires);
      insert.executeUpdate();
    }
    AuditTrail.append(
        tx,
        user.principal().actor(),
        "session.login",
        "user " + user.name(),
        Optional.empty(),
        now);
    return secret;
  }

  /** Ends the session; false if there was none (expired, or ended already). */
  static boolean closeSession(Connection tx, String secret, Principal user, Instant now)
      throws SQLException {
    try (PreparedStatement delete = tx.prepareStatement("DELETE FROM sessions WHERE hash = ?")) {
      delete.setString(1, Secrets.hash(secret));
      if (delete.executeUpdate() == 0) {
        return false;
      }
    }
    AuditTrail.append(
        tx, user.actor(), "session.logout", "user " + user.name(), Optional.empty(), now);
    return true;
  }

  /** The user of a session that has not expired, if the user is still enabled. */
  static Optional<Principal> sessionUser(Connection c, String secret, Instant now)
      throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT u.id, u.name, u.role FROM sessions s JOIN users u ON u.id = s.user_id"
                + " WHERE s.hash = ? AND s.expires_at > ? AND u.disabled_at IS NULL")) {
      select.setString(1, Secrets.hash(secret));
      StoredTime.set(select, 2, now);
      try (ResultSet row = select.executeQuery()) {
        if (!row.next()) {
          return Optional.empty();
        }
        long id = row.getLong("id");
        String name = row.getString("name");
        return Role.of(row.getString("role"))
            .map(role -> new Principal(name, role, Optional.of(id)));
      }
    }
  }

  private static void endSessions(Connection tx, long userId) throws SQLException {
    try (PreparedStatement delete = tx.prepareStatement("DELETE FROM sessions WHERE user_id = ?")) {
      delete.setLong(1, userId);
      delete.executeUpdate();
    }
  }

  public static Token.Created createToken(
      Connection tx, String name, Role role, Actor actor, Instant now) throws SQLException {
    String secret = Secrets.create(TOKEN_PREFIX);
    long id;
    try (PreparedStatement insert =
        tx.prepareStatement(
            "INSERT INTO tokens(name, role, hash, created_by, created_at) VALUES(?, ?, ?, ?, ?) RETURNING id")) {
      insert.setString(1, name);
      insert.setString(2, role.text());
      insert.setString(3, Secrets.hash(secret));
      insert.setString(4, actor.name());
      StoredTime.set(insert, 5, now);
      try (ResultSet row = insert.executeQuery()) {
        row.next();
        id = row.getLong(1);
      }
    }
    Token token = new Token(id, name, role, actor.name(), now, Optional.empty());
    AuditTrail.append(
        tx, actor, "token.create", tokenObject(token), Optional.of("role " + role.text()), now);
    return new Token.Created(token, secret);
  }

  public static List<Token> tokens(Connection c) throws SQLException {
    List<Token> tokens = new ArrayList<>();
    try (PreparedStatement select =
            c.prepareStatement(
                "SELECT id, name, role, created_by, created_at, revoked_at FROM tokens ORDER BY id");
        ResultSet row = select.executeQuery()) {
      while (row.next()) {
        tokens.add(
            new Token(
                row.getLong("id"),
                row.getString("name"),
                Role.of(row.getString("role")).orElse(Role.VIEWER),
                row.getString("created_by"),
                StoredTime.get(row, "created_at"),
                StoredTime.find(row, "revoked_at")));
      }
    }
    return tokens;
  }

  public static Token revokeToken(Connection tx, long id, Actor actor, Instant now)
      throws SQLException, Refused {
    Token token =
        tokens(tx).stream()
            .filter(t -> t.id() == id)
            .findFirst()
            .orElseThrow(() -> new Refused(Kind.NOT_FOUND, "token not found", "no token " + id));
    if (token.revokedAt().isPresent()) {
      throw new Refused(Kind.CONFLICT, "already revoked", "token " + id + " is revoked");
    }
    try (PreparedStatement update =
        tx.prepareStatement("UPDATE tokens SET revoked_at = ? WHERE id = ?")) {
      StoredTime.set(update, 1, now);
      update.setLong(2, id);
      update.executeUpdate();
    }
    AuditTrail.append(tx, actor, "token.revoke", tokenObject(token), Optional.empty(), now);
    return new Token(
        token.id(),
        token.name(),
        token.role(),
        token.createdBy(),
        token.createdAt(),
        Optional.of(now));
  }

  /** The principal of a token that is not revoked. */
  static Optional<Principal> tokenHolder(Connection c, String secret) throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT id, name, role FROM tokens WHERE hash = ? AND revoked_at IS NULL")) {
      select.setString(1, Secrets.hash(secret));
      try (ResultSet row = select.executeQuery()) {
        if (!row.next()) {
          return Optional.empty();
        }
        String name = row.getString("name") + " (token " + row.getLong("id") + ")";
        return Role.of(row.getString("role"))
            .map(role -> new Principal(name, role, Optional.empty()));
      }
    }
  }

  private static String tokenObject(Token token) {
    return "token " + token.id() + " (" + token.name() + ")";
  }

  private static User existing(Connection c, String name) throws SQLException, Refused {
    return find(c, name)
        .orElseThrow(() -> new Refused(Kind.NOT_FOUND, "user not found", "no user " + name));
  }

  private static User user(ResultSet row) throws SQLException {
    return new User(
        row.getLong("id"),
        row.getString("name"),
        Role.of(row.getString("role")).orElse(Role.VIEWER),
        StoredTime.get(row, "created_at"),
        StoredTime.find(row, "disabled_at"));
  }
}
