package dev.linegate.gateway.outbox;

import dev.linegate.connectors.Backoff;
import dev.linegate.connectors.ConnectorStatus;
import java.time.Instant;
import java.util.Optional;

/**
 * Whether the ERP is taking events, decided from the answers to the dispatcher's sends. While it
 * takes them, many events travel at once. The first failure pauses the whole dispatch; after the
 * pause one event at a time probes the ERP, and only a failed probe lengthens the next pause, up to
 * the probe backoff's maximum. The failures of the many sends that were on their way when the ERP
 * went away are one outage, not many: counting each of them as a round would escalate the pause to
 * its maximum within milliseconds and keep the backlog waiting long after the ERP is back. Any
 * answer from the ERP, a success or a refusal of one event, ends the outage.
 */
final class ErpCircuit {

  enum State {
    DELIVERING,
    PAUSED,
    PROBING
  }

  /** What a send's answer changed: the outage that began or ended, for the one log line each. */
  sealed interface Change {
    /**
     * The first failure: the event that failed keeps its own backoff, the others wait for the
     * probes.
     */
    record Opened(String reason, long firstProbeInMs) implements Change {}

    record Closed(long outageMs, int failedProbes) implements Change {}
  }

  private final Backoff probes;
  private final String check;
  private State state = State.DELIVERING;
  private long pausedUntil;

  /** When the last outage began or ended. */
  private long since = System.currentTimeMillis();

  private int failedProbes;
  private String reason = "";

  /** {@code check}: the output's name in {@code /health}. */
  ErpCircuit(Backoff probes, String check) {
    this.probes = probes;
    this.check = check;
  }

  /**
   * How many sends may start now, out of {@code full}: all while delivering, none while paused, one
   * probe after the pause. A send started now is a probe if {@link #probing()} says so.
   */
  synchronized int capacity(long now, int full) {
    if (state == State.PAUSED && now >= pausedUntil) {
      state = State.PROBING;
    }
    return switch (state) {
      case DELIVERING -> full;
      case PAUSED -> 0;
      case PROBING -> 1;
    };
  }

  synchronized boolean probing() {
    return state == State.PROBING;
  }

  /** The ERP answered (delivered, or refused one event for good): it is reachable. */
  synchronized Optional<Change> answered(long now) {
    if (state == State.DELIVERING) {
      return Optional.empty();
    }
    Change closed = new Change.Closed(now - since, failedProbes);
    state = State.DELIVERING;
    since = now;
    failedProbes = 0;
    return Optional.of(closed);
  }

  /**
   * A send failed without an answer that settles its event. Only the first failure and failed
   * probes move the circuit; the failures of sends started before the pause are the same outage.
   */
  synchronized Optional<Change> failed(long now, String why, boolean wasProbe) {
    if (state == State.DELIVERING) {
      state = State.PAUSED;
      since = now;
      reason = why;
      long pause = probes.delay(1).toMillis();
      pausedUntil = now + pause;
      return Optional.of(new Change.Opened(why, pause));
    }
    if (wasProbe && state == State.PROBING) {
      failedProbes++;
      reason = why;
      state = State.PAUSED;
      pausedUntil = now + probes.delay(failedProbes + 1).toMillis();
    }
    return Optional.empty();
  }

  /** A dead letter was released by hand: probe at once instead of waiting out the pause. */
  synchronized void probeNow() {
    if (state == State.PAUSED) {
      pausedUntil = 0;
    }
  }

  synchronized boolean delivering() {
    return state == State.DELIVERING;
  }

  /**
   * {@code erp} in {@code /health}: UP with {@code delivering} as its detail, or DOWN with the
   * outage's figures.
   */
  synchronized ConnectorStatus status(long now, String delivering) {
    if (state == State.DELIVERING) {
      return new ConnectorStatus(
          check, ConnectorStatus.State.UP, delivering, Instant.ofEpochMilli(since), 0);
    }
    String next =
        state == State.PROBING
            ? "probing now"
            : "next probe in " + Math.max(0, pausedUntil - now) + " ms";
    String detail =
        "unreachable for "
            + (now - since) / 1000
            + " s: "
            + reason
            + "; "
            + failedProbes
            + " probes failed, "
            + next;
    return new ConnectorStatus(
        check, ConnectorStatus.State.DOWN, detail, Instant.ofEpochMilli(since), 0);
  }
}
