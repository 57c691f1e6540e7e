package dev.linegate.connectors;

import dev.linegate.connectors.ConnectorStatus.State;
import java.time.Duration;
import java.time.Instant;

/**
 * The health of one device connection that is opened again, after a backoff, when it was lost or
 * would not open: the {@link ConnectorStatus} for /health, and when the next attempt is due. Every
 * {@link Connection} has one. Changed only by the thread that owns the connection; {@link
 * #status()} may be read from any thread.
 */
public final class LinkHealth {
  private final String name;
  private final Backoff backoff;
  private volatile ConnectorStatus status;
  private boolean everOpened;
  private int failures;
  private long nextAttemptNanos = System.nanoTime();
  private String lastProblem = "";
  private long reconnects;

  /** {@code name} as /health shows it, such as {@code printer:P1}. */
  public LinkHealth(String name, Backoff backoff) {
    this.name = name;
    this.backoff = backoff;
    this.status = new ConnectorStatus(name, State.CONNECTING, "not opened yet", Instant.now(), 0);
  }

  public ConnectorStatus status() {
    return status;
  }

  public String name() {
    return name;
  }

  /** How long to wait before the next attempt to open; zero when one may be made now. */
  public Duration untilNextAttempt() {
    return Duration.ofNanos(Math.max(0, nextAttemptNanos - System.nanoTime()));
  }

  /** Why the connection is not open, as given to {@link #failed}. */
  public String lastProblem() {
    return lastProblem;
  }

  /**
   * The connection is open: UP, and the backoff starts from the beginning again.
   *
   * @return true when it had been open before, so this is a reconnect (counted in the status)
   */
  public boolean opened(String detail) {
    failures = 0;
    boolean again = everOpened;
    if (again) {
      reconnects++;
    }
    everOpened = true;
    mark(State.UP, detail);
    return again;
  }

  /**
   * The connection was lost or would not open: DOWN with {@code problem} and when the next attempt
   * is, which is not before the returned delay (growing with each failure in a row).
   */
  public Duration failed(String problem) {
    Duration delay = backoff.delay(++failures);
    nextAttemptNanos = System.nanoTime() + delay.toNanos();
    lastProblem = problem;
    mark(State.DOWN, problem + "; retrying in " + delay.toMillis() + " ms");
    return delay;
  }

  /** UP or DOWN for a reason that leaves the connection open, such as a printer out of paper. */
  public void mark(State state, String detail) {
    ConnectorStatus now = status;
    if (now.state() != state || !now.detail().equals(detail) || now.reconnects() != reconnects) {
      Instant since = now.state() == state ? now.since() : Instant.now();
      status = new ConnectorStatus(name, state, detail, since, reconnects);
    }
  }
}
