package dev.linegate.gateway.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.linegate.connectors.Backoff;
import dev.linegate.connectors.ConnectorStatus;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ErpCircuitTest {

  private static final int FULL = 512;
  private final ErpCircuit circuit =
      new ErpCircuit(new Backoff(Duration.ofMillis(500), Duration.ofMillis(2_000)), "erp");

  @Test
  void theFailuresOfSendsOnTheirWayWhenTheErpWentAwayAreOneOutage() {
    assertThat(circuit.capacity(0, FULL)).isEqualTo(FULL);

    assertThat(circuit.failed(10, "Connection refused", false))
        .containsInstanceOf(ErpCircuit.Change.Opened.class);
    for (int i = 0; i < 500; i++) {
      assertThat(circuit.failed(11, "Connection refused", false)).isEmpty();
    }

    // Still the first pause (at most 500 ms): 500 failures did not lengthen it.
    assertThat(circuit.capacity(400, FULL)).isZero();
    assertThat(circuit.capacity(511, FULL)).isEqualTo(1);
    assertThat(circuit.probing()).isTrue();
  }

  @Test
  void onlyFailedProbesLengthenThePauseAndItStopsAtTheProbeMaximum() {
    circuit.failed(0, "Connection refused", false);
    long now = 0;
    long previous = 0;
    for (int round = 1; round <= 8; round++) {
      now = nextProbe(now);
      long pause = pauseAfterFailedProbe(now);
      assertThat(pause)
          .as("pause after failed probe %d", round)
          .isBetween(Math.min(previous, 1_600), 2_000L);
      previous = pause;
      now += pause;
    }
    assertThat(circuit.status(now, "delivering").detail())
        .contains("8 probes failed", "Connection refused");
  }

  /** A send started before the pause may fail while a probe is out: it is no failed probe. */
  @Test
  void aLateFailureOfASendStartedBeforeThePauseIsNoFailedProbe() {
    circuit.failed(0, "Connection refused", false);
    long probeAt = nextProbe(0);
    assertThat(circuit.failed(probeAt + 1, "read timed out", false)).isEmpty();
    assertThat(circuit.probing()).isTrue();
    assertThat(circuit.status(probeAt + 1, "delivering").detail()).contains("0 probes failed");
  }

  @Test
  void anyAnswerEndsTheOutageAndEverythingMayBeSentAgain() {
    circuit.failed(0, "Connection refused", false);
    long probeAt = nextProbe(0);
    circuit.failed(probeAt, "Connection refused", true);

    var closed = circuit.answered(10_000);
    assertThat(closed).containsInstanceOf(ErpCircuit.Change.Closed.class);
    assertThat(((ErpCircuit.Change.Closed) closed.orElseThrow()).failedProbes()).isEqualTo(1);
    assertThat(((ErpCircuit.Change.Closed) closed.orElseThrow()).outageMs()).isEqualTo(10_000);
    assertThat(circuit.capacity(10_000, FULL)).isEqualTo(FULL);
    assertThat(circuit.answered(10_001)).as("a second answer changes nothing").isEmpty();
    assertThat(circuit.status(10_001, "delivering").state()).isEqualTo(ConnectorStatus.State.UP);
  }

  @Test
  void aReleasedDeadLetterIsAProbeAtOnce() {
    circuit.failed(0, "Connection refused", false);
    assertThat(circuit.capacity(1, FULL)).isZero();
    circuit.probeNow();
    assertThat(circuit.capacity(2, FULL)).isEqualTo(1);
  }

  @Test
  void whileDownHealthSaysSinceWhenWhyAndWhenTheNextProbeIs() {
    circuit.failed(1_000, "HttpHostConnectException: Connection refused", false);
    ConnectorStatus down = circuit.status(4_000, "delivering");
    assertThat(down.state()).isEqualTo(ConnectorStatus.State.DOWN);
    assertThat(down.since().toEpochMilli()).isEqualTo(1_000);
    assertThat(down.detail())
        .startsWith(
            "unreachable for 3 s: HttpHostConnectException: Connection refused; 0 probes failed,");
  }

  /**
   * The time at which the circuit lets the next probe go, found by asking as the dispatcher does.
   */
  private long nextProbe(long from) {
    long at = from;
    while (circuit.capacity(at, FULL) == 0) {
      at++;
    }
    assertThat(circuit.capacity(at, FULL)).isEqualTo(1);
    return at;
  }

  private long pauseAfterFailedProbe(long now) {
    assertThat(circuit.failed(now, "Connection refused", true)).isEmpty();
    return nextProbe(now) - now;
  }
}
