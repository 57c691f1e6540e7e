package dev.linegate.gateway.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Slows password guessing: after {@link #FREE_FAILURES} failures in a row for a user name, or
 * {@link #FREE_FAILURES_PER_ADDRESS} from one address (many names tried from one machine), each
 * further attempt waits, twice as long each time up to {@link #LONGEST}. An address gets more: the
 * stations behind one NAT share it, and one person's typos must not lock them all out. A success
 * clears the user's count. Kept in memory and bounded: a restart forgets it, which costs an
 * attacker a restart of the gateway per few guesses.
 */
final class LoginThrottle {

  static final int FREE_FAILURES = 5;
  static final int FREE_FAILURES_PER_ADDRESS = 20;
  static final Duration FIRST_WAIT = Duration.ofSeconds(30);
  static final Duration LONGEST = Duration.ofMinutes(15);

  /** A count nobody has added to for this long is forgotten. */
  private static final Duration MEMORY = Duration.ofHours(1);

  private static final int MAX_KEYS = 10_000;

  private record Failures(int count, Instant last, Instant waitUntil) {}

  private final Clock clock;

  private final Map<String, Failures> failures =
      new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Failures> eldest) {
          return size() > MAX_KEYS;
        }
      };

  LoginThrottle(Clock clock) {
    this.clock = clock;
  }

  /** How long the caller must wait before trying again, if they must. */
  synchronized Optional<Duration> wait(String user, String address) {
    Instant now = clock.instant();
    Instant until = later(waitUntil(userKey(user), now), waitUntil(addressKey(address), now));
    return until.isAfter(now) ? Optional.of(Duration.between(now, until)) : Optional.empty();
  }

  synchronized void failed(String user, String address) {
    Instant now = clock.instant();
    count(userKey(user), FREE_FAILURES, now);
    count(addressKey(address), FREE_FAILURES_PER_ADDRESS, now);
  }

  synchronized void succeeded(String user) {
    failures.remove(userKey(user));
  }

  private void count(String key, int free, Instant now) {
    Failures before = failures.get(key);
    int count = before == null || before.last().plus(MEMORY).isBefore(now) ? 1 : before.count() + 1;
    Instant waitUntil = now;
    if (count >= free) {
      Duration wait = FIRST_WAIT.multipliedBy(1L << Math.min(count - free, 10));
      waitUntil = now.plus(wait.compareTo(LONGEST) > 0 ? LONGEST : wait);
    }
    failures.put(key, new Failures(count, now, waitUntil));
  }

  private Instant waitUntil(String key, Instant now) {
    Failures known = failures.get(key);
    return known == null ? now : known.waitUntil();
  }

  private static Instant later(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }

  private static String userKey(String user) {
    return "user:" + user.toLowerCase(Locale.ROOT);
  }

  private static String addressKey(String address) {
    return "address:" + address;
  }
}
