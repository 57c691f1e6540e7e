package dev.linegate.gateway.auth;

import java.time.Instant;
import java.util.Optional;

/** A machine token as admins list it; the secret itself is shown once, when it is created. */
public record Token(
    long id,
    String name,
    Role role,
    String createdBy,
    Instant createdAt,
    Optional<Instant> revokedAt) {

  /** A token just created, with its secret: the only time anyone sees it. */
  public record Created(Token token, String secret) {}
}
