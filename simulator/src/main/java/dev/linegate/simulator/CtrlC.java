package dev.linegate.simulator;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Turns Ctrl-C into a clean stop. The JVM halts as soon as its shutdown hooks return, so the hook
 * asks the command to stop and then holds the JVM until the command has closed what it opened.
 */
public final class CtrlC implements AutoCloseable {
  private static final Duration GRACE = Duration.ofSeconds(15);

  private final CompletableFuture<Void> stopRequested = new CompletableFuture<>();
  private final CountDownLatch closed = new CountDownLatch(1);
  private final Thread hook;

  private CtrlC() {
    hook =
        new Thread(
            () -> {
              stopRequested.complete(null);
              awaitClosed();
            },
            "ctrl-c");
  }

  public static CtrlC install() {
    var ctrlC = new CtrlC();
    Runtime.getRuntime().addShutdownHook(ctrlC.hook);
    return ctrlC;
  }

  /**
   * Runs {@code action} on Ctrl-C (at once if it came already); it must make the command return.
   */
  public void onStop(Runnable action) {
    stopRequested.thenRun(action);
  }

  /** Blocks until Ctrl-C. */
  public void await() {
    stopRequested.join();
  }

  /** Waits for {@code future} unless Ctrl-C comes first; true when it completed. */
  public boolean await(CompletableFuture<?> future) {
    CompletableFuture.anyOf(future, stopRequested).join();
    return !stopRequested.isDone();
  }

  @Override
  public void close() {
    closed.countDown();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // The hook is running and waits for the countDown above.
    }
  }

  private void awaitClosed() {
    try {
      closed.await(GRACE.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
