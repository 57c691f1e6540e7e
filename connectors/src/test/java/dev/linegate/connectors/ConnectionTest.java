package dev.linegate.connectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.linegate.connectors.ConnectorStatus.State;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The base of every connector that keeps a connection, with a session that is only a number. */
class ConnectionTest {

  private static final Logger log = LoggerFactory.getLogger(ConnectionTest.class);
  private static final Backoff FAST = new Backoff(Duration.ofMillis(20), Duration.ofMillis(40));

  /** Opens session 1, 2, ... and fails the attempts it is told to. */
  private static final class Numbered extends Connection<Integer> {
    final AtomicInteger failuresToCome = new AtomicInteger();
    final List<Integer> disconnected = new CopyOnWriteArrayList<>();
    final List<String> acknowledged = new CopyOnWriteArrayList<>();
    final List<String> threads = new CopyOnWriteArrayList<>();

    Numbered() {
      super("test", "T1", "test-T1", FAST, log);
    }

    @Override
    protected Integer open(int connection) throws Exception {
      threads.add(Thread.currentThread().getName());
      if (failuresToCome.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        throw new Exception("refused");
      }
      return connection;
    }

    @Override
    protected String describe(Integer session) {
      return "session " + session;
    }

    @Override
    protected void disconnect(Integer session) {
      disconnected.add(session);
    }

    void start() {
      connect();
    }

    /** What an input's acknowledgment does: back on the thread, for its own session only. */
    void acknowledge(int connection, String message) {
      execute(
          () -> {
            threads.add(Thread.currentThread().getName());
            if (current(connection)) {
              acknowledged.add(message);
            }
          });
    }

    void lose(int connection) {
      lost(connection, "peer gone");
    }

    void blowUp() {
      execute(
          () -> {
            throw new IllegalStateException("a bug");
          });
    }

    /** What an output's call does: on the thread, with the session open now. */
    CompletableFuture<String> call(boolean fail) {
      return submit(
          () -> {
            threads.add(Thread.currentThread().getName());
            if (fail) {
              throw new IOException("printer says no");
            }
            return "done on session " + session();
          });
    }

    CompletableFuture<Integer> currentSession() {
      CompletableFuture<Integer> answer = new CompletableFuture<>();
      execute(() -> answer.complete(session() == null ? -1 : connection()));
      return answer;
    }
  }

  private final Numbered connection = new Numbered();

  @AfterEach
  void close() {
    connection.close();
  }

  @Test
  void aRefusedConnectionIsDownWithItsReasonThenOpensAfterTheBackoff() {
    connection.failuresToCome.set(Integer.MAX_VALUE);
    connection.start();

    await().until(() -> connection.status().state() == State.DOWN);
    assertThat(connection.status().detail()).startsWith("connect failed: refused; retrying in ");
    await().until(() -> connection.openAttempts() >= 3);
    connection.failuresToCome.set(0);
    await().until(() -> connection.status().up());
    long attempts = connection.openAttempts();
    assertThat(connection.status().detail()).isEqualTo("session " + attempts);
    assertThat(connection.status().name()).isEqualTo("test:T1");
    assertThat(connection.status().reconnects()).isZero();
    assertThat(connection.threads).containsOnly("test-T1");
  }

  @Test
  void anAcknowledgmentForASessionThatWasLostIsDroppedAndTheNewSessionsAreSent() throws Exception {
    connection.start();
    await().until(() -> connection.status().up());
    int first = connection.currentSession().get(5, TimeUnit.SECONDS);

    connection.lose(first);
    await().until(() -> connection.status().up() && connection.status().reconnects() == 1);
    int second = connection.currentSession().get(5, TimeUnit.SECONDS);
    connection.acknowledge(first, "message of the lost session");
    connection.acknowledge(second, "message of the new session");
    connection.currentSession().get(5, TimeUnit.SECONDS);

    assertThat(second).isNotEqualTo(first);
    assertThat(connection.disconnected).containsExactly(first);
    assertThat(connection.acknowledged).containsExactly("message of the new session");
    assertThat(connection.threads).containsOnly("test-T1");
  }

  @Test
  void aLossReportedTwiceOrLateReconnectsOnce() throws Exception {
    connection.start();
    await().until(() -> connection.status().up());
    int first = connection.currentSession().get(5, TimeUnit.SECONDS);

    connection.lose(first);
    connection.lose(first);
    await().until(() -> connection.status().up());
    connection.lose(first);
    connection.currentSession().get(5, TimeUnit.SECONDS);

    assertThat(connection.status().up()).isTrue();
    assertThat(connection.disconnected).containsExactly(first);
    assertThat(connection.openAttempts()).isEqualTo(2);
  }

  @Test
  void aStepThatThrowsDropsTheSessionAndStartsOver() throws Exception {
    connection.start();
    await().until(() -> connection.status().up());
    int first = connection.currentSession().get(5, TimeUnit.SECONDS);

    connection.blowUp();

    await().until(() -> connection.disconnected.contains(first));
    await().until(() -> connection.status().up());
    assertThat(connection.currentSession().get(5, TimeUnit.SECONDS)).isNotEqualTo(first);
  }

  @Test
  void anOutputsFirstCallConnectsAndItsOutcomeOrFailureComesBackWithoutDroppingTheSession()
      throws Exception {
    assertThat(connection.call(false).get(5, TimeUnit.SECONDS)).isEqualTo("done on session 1");

    assertThat(connection.call(true))
        .failsWithin(Duration.ofSeconds(5))
        .withThrowableOfType(ExecutionException.class)
        .withMessageContaining("printer says no");
    assertThat(connection.call(false).get(5, TimeUnit.SECONDS)).isEqualTo("done on session 1");
    assertThat(connection.openAttempts()).isEqualTo(1);
    assertThat(connection.disconnected).isEmpty();
    assertThat(connection.threads).containsOnly("test-T1");

    connection.close();
    assertThat(connection.call(false))
        .failsWithin(Duration.ofSeconds(5))
        .withThrowableOfType(ExecutionException.class)
        .withMessageContaining("test:T1: closed");
  }

  @Test
  void closingDisconnectsStopsAndDropsWhatComesAfter() throws Exception {
    connection.start();
    await().until(() -> connection.status().up());
    int first = connection.currentSession().get(5, TimeUnit.SECONDS);

    connection.close();
    connection.acknowledge(first, "too late");

    assertThat(connection.status().state()).isEqualTo(State.STOPPED);
    assertThat(connection.disconnected).containsExactly(first);
    assertThat(connection.acknowledged).isEmpty();
  }
}
