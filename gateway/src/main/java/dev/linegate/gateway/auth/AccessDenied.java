package dev.linegate.gateway.auth;

import java.time.Duration;
import java.util.Optional;

/**
 * A request refused for who sent it: 401 (no or unknown credentials), 403 (not allowed, or a wrong
 * signature password), 429 (too many failed passwords; {@code retryAfter} says how long to wait).
 * The detail never says which of user and password was wrong.
 */
public final class AccessDenied extends Exception {

  private final int status;
  private final String detail;
  private final Optional<Duration> retryAfter;

  public AccessDenied(int status, String message, String detail) {
    this(status, message, detail, Optional.empty());
  }

  AccessDenied(int status, String message, String detail, Optional<Duration> retryAfter) {
    super(message);
    this.status = status;
    this.detail = detail;
    this.retryAfter = retryAfter;
  }

  public static AccessDenied notAllowed(Principal principal, String what) {
    return new AccessDenied(
        403,
        "not allowed",
        principal.name() + " (" + principal.role().text() + ") may not " + what);
  }

  public int status() {
    return status;
  }

  public String detail() {
    return detail;
  }

  public Optional<Duration> retryAfter() {
    return retryAfter;
  }
}
