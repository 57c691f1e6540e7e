package dev.linegate.gateway.auth;

import java.util.Optional;

/**
 * Who makes a change, as the audit trail and the lot's history record it: the authenticated user or
 * token, never a name typed into a request; with the meaning of the signature when one was given
 * (and checked) for the change.
 */
public record Actor(String name, Role role, Optional<Meaning> signed) {

  /** Whoever runs the gateway's commands on its machine can change its database anyway. */
  public static Actor commandLine() {
    return new Actor(
        "command line (OS user " + System.getProperty("user.name") + ")",
        Role.ADMIN,
        Optional.empty());
  }

  public Actor signing(Meaning meaning) {
    return new Actor(name, role, Optional.of(meaning));
  }
}
