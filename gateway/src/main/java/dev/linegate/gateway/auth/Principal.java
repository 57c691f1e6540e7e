package dev.linegate.gateway.auth;

import java.util.Optional;

/**
 * Who a request comes from: a user (by a session) or a token. {@code userId} is there for a user
 * only: only a person can sign.
 */
public record Principal(String name, Role role, Optional<Long> userId) {

  public Actor actor() {
    return new Actor(name, role, Optional.empty());
  }
}
