package dev.linegate.connectors;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A connection's thread outlives any exception of one of its steps, and the connector hears of it
 * to start over (reconnect, read again) with its backoff: a step that throws must not leave the
 * connection waiting for ever.
 */
class ConnectorThreadTest {

  private static final Logger log = LoggerFactory.getLogger(ConnectorThreadTest.class);
  private final CompletableFuture<String> recovered = new CompletableFuture<>();
  private ScheduledExecutorService thread;

  @AfterEach
  void stop() {
    ConnectorThread.stop(thread);
  }

  @Test
  void aStepThatThrowsIsHandedToTheRecoveryOnTheConnectorsThreadAndTheThreadGoesOn()
      throws Exception {
    thread =
        ConnectorThread.create(
            "connector-test",
            log,
            failure -> recovered.complete(Thread.currentThread().getName() + ": " + failure));
    thread.execute(
        () -> {
          throw new IndexOutOfBoundsException("Index: 1 Size: 1");
        });
    assertThat(recovered.get(5, TimeUnit.SECONDS))
        .isEqualTo("connector-test: java.lang.IndexOutOfBoundsException: Index: 1 Size: 1");
    assertThat(thread.submit(() -> "next step").get(5, TimeUnit.SECONDS)).isEqualTo("next step");
  }

  @Test
  void aScheduledStepThatThrowsIsRecoveredToo() throws Exception {
    thread =
        ConnectorThread.create(
            "connector-test",
            log,
            failure -> recovered.complete(failure.getClass().getSimpleName()));
    thread.schedule(
        () -> {
          throw new ClassCastException("odd value");
        },
        10,
        TimeUnit.MILLISECONDS);
    assertThat(recovered.get(5, TimeUnit.SECONDS)).isEqualTo("ClassCastException");
  }

  @Test
  void aRecoveryThatThrowsItselfStillLeavesTheThreadRunning() throws Exception {
    thread =
        ConnectorThread.create(
            "connector-test",
            log,
            failure -> {
              throw new IllegalStateException("recovery failed too");
            });
    thread.execute(
        () -> {
          throw new IllegalStateException("step failed");
        });
    assertThat(thread.submit(() -> "still here").get(5, TimeUnit.SECONDS)).isEqualTo("still here");
  }
}
