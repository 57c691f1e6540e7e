package dev.linegate.gateway.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.linegate.connectors.ConnectorStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class CoreThreadTest {

  private static final ConnectorStatus RUNNING =
      new ConnectorStatus("erp", ConnectorStatus.State.UP, "delivering", Instant.EPOCH, 0);

  /** The owner fails its waiters before the process is told, and /health is DOWN before either. */
  @Test
  void aThreadKilledByAnErrorIsDownThenCleanedUpThenFatalOnce() throws Exception {
    List<String> order = new CopyOnWriteArrayList<>();
    CompletableFuture<Void> fatalCalled = new CompletableFuture<>();
    CoreThread[] core = new CoreThread[1];
    CountDownLatch started = new CountDownLatch(1);
    core[0] =
        CoreThread.start(
            "outbox-dispatcher",
            () -> {
              started.await(10, TimeUnit.SECONDS);
              throw new StackOverflowError();
            },
            cause -> order.add("afterDeath, status " + core[0].status(RUNNING).state()),
            (thread, cause) -> {
              order.add("fatal " + thread + " " + cause.getClass().getSimpleName());
              fatalCalled.complete(null);
            });
    assertThat(core[0].status(RUNNING)).isEqualTo(RUNNING);
    started.countDown();

    fatalCalled.get(10, TimeUnit.SECONDS);
    assertThat(order)
        .containsExactly("afterDeath, status DOWN", "fatal outbox-dispatcher StackOverflowError");
    ConnectorStatus dead = core[0].status(RUNNING);
    assertThat(dead.name()).isEqualTo("erp");
    assertThat(dead.state()).isEqualTo(ConnectorStatus.State.DOWN);
    assertThat(dead.detail()).isEqualTo("outbox-dispatcher died: StackOverflowError");
  }

  /**
   * A sender of the dispatcher that dies holds an event in flight: the dispatcher has died with it.
   */
  @Test
  void aGuardedTaskKilledByAnErrorIsTheDeathOfItsCoreThread() throws Exception {
    CompletableFuture<String> fatal = new CompletableFuture<>();
    CountDownLatch stop = new CountDownLatch(1);
    CoreThread core =
        CoreThread.start(
            "outbox-dispatcher",
            () -> stop.await(10, TimeUnit.SECONDS),
            (thread, cause) -> fatal.complete(thread + " " + cause.getClass().getSimpleName()));
    try {
      Thread sender =
          new Thread(
              core.guarded(
                  () -> {
                    throw new OutOfMemoryError("Java heap space");
                  }),
              "erp-sender-3");
      sender.start();
      sender.join(10_000);

      assertThat(fatal.get(10, TimeUnit.SECONDS)).isEqualTo("outbox-dispatcher OutOfMemoryError");
      ConnectorStatus dead = core.status(RUNNING);
      assertThat(dead.state()).isEqualTo(ConnectorStatus.State.DOWN);
      assertThat(dead.detail())
          .isEqualTo(
              "outbox-dispatcher died: erp-sender-3 stopped by OutOfMemoryError: Java heap space");
    } finally {
      core.stop(stop::countDown, Duration.ofSeconds(10));
    }
  }

  @Test
  void aBodyThatReturnsWithoutBeingStoppedHasDiedToo() throws Exception {
    CompletableFuture<Throwable> fatal = new CompletableFuture<>();
    CoreThread core =
        CoreThread.start("store-writer", () -> {}, (thread, cause) -> fatal.complete(cause));

    assertThat(fatal.get(10, TimeUnit.SECONDS))
        .hasMessage("store-writer returned without being stopped");
    assertThat(core.status(RUNNING).state()).isEqualTo(ConnectorStatus.State.DOWN);
  }

  @Test
  void aStopItsOwnerAskedForIsNoDeath() {
    List<String> deaths = new CopyOnWriteArrayList<>();
    CountDownLatch stop = new CountDownLatch(1);
    CoreThread core =
        CoreThread.start("store-writer", stop::await, (thread, cause) -> deaths.add(thread));

    core.stop(stop::countDown, Duration.ofSeconds(10));

    assertThat(deaths).isEmpty();
    assertThat(core.status(RUNNING)).isEqualTo(RUNNING);
  }
}
