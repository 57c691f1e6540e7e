package dev.linegate.gateway.auth;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** The roles of SPEC section 11, each with what it may do; each role has the one below it. */
public enum Role {
  VIEWER(EnumSet.of(Permission.READ)),
  OPERATOR(EnumSet.of(Permission.READ, Permission.LABELS)),
  SUPERVISOR(
      EnumSet.of(
          Permission.READ, Permission.LABELS, Permission.SUPERVISE, Permission.RETRY_DEAD_LETTERS)),
  ADMIN(EnumSet.allOf(Permission.class)),
  /** A machine's: it reads, and sends dead letters again once the ERP is fixed. */
  INTEGRATOR(EnumSet.of(Permission.READ, Permission.RETRY_DEAD_LETTERS));

  private final Set<Permission> permissions;

  Role(Set<Permission> permissions) {
    this.permissions = permissions;
  }

  public boolean may(Permission permission) {
    return permissions.contains(permission);
  }

  public String text() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<Role> of(String text) {
    return Arrays.stream(values()).filter(role -> role.text().equals(text)).findFirst();
  }

  /** "viewer, operator, ..." for messages. */
  public static String choices() {
    return Arrays.stream(values()).map(Role::text).collect(Collectors.joining(", "));
  }

  /**
   * A person signs in with a password and is answerable for it; integrator is a machine's role, and
   * admin stays a person's, so users and tokens are always managed by someone named.
   */
  public boolean forPeople() {
    return this != INTEGRATOR;
  }

  public boolean forTokens() {
    return this != ADMIN;
  }
}
