package dev.linegate.connectors;

import java.time.Instant;

/** What a connection is doing now, for /health and metrics. */
public record ConnectorStatus(
    String name, State state, String detail, Instant since, long reconnects) {

  public enum State {
    CONNECTING,
    UP,
    /** Lost or refused; waiting for the next attempt. */
    DOWN,
    STOPPED
  }

  public boolean up() {
    return state == State.UP;
  }
}
