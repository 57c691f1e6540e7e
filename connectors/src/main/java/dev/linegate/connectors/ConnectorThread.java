package dev.linegate.connectors;

import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;

/**
 * The one thread a connection lives on. A reconnect still waiting for its backoff is dropped at
 * shutdown instead of being waited for.
 *
 * <p>A step that throws, whatever it throws, neither stops the thread nor vanishes into a future
 * nobody reads: it is logged and handed to the connector's {@code recovery}, on this thread, which
 * starts over the way the connector does after any failure (reconnect, read again) with its
 * backoff. So a connector never waits for ever on a step that failed in a way nobody foresaw.
 */
public final class ConnectorThread {

  private ConnectorThread() {}

  public static ScheduledExecutorService create(
      String name, Logger log, Consumer<Throwable> recovery) {
    ScheduledThreadPoolExecutor executor =
        new ScheduledThreadPoolExecutor(1, r -> new Thread(r, name)) {
          @Override
          protected void afterExecute(Runnable task, Throwable thrown) {
            super.afterExecute(task, thrown);
            Throwable failure = thrown;
            if (failure == null && task instanceof Future<?> future && future.isDone()) {
              try {
                future.get();
              } catch (ExecutionException e) {
                failure = e.getCause();
              } catch (CancellationException e) {
                // Cancelled on purpose.
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            }
            if (failure != null) {
              log.error("Unexpected failure on {}; starting over", name, failure);
              try {
                recovery.accept(failure);
              } catch (RuntimeException e) {
                if (!isShutdown()) {
                  log.error("Starting over after a failure on {} failed too", name, e);
                }
              }
            }
          }
        };
    executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    executor.setContinueExistingPeriodicTasksAfterShutdownPolicy(false);
    executor.setRemoveOnCancelPolicy(true);
    return executor;
  }

  /** Lets the tasks queued now run, then stops the thread; waits at most five seconds. */
  public static void stop(ExecutorService executor) {
    executor.shutdown();
    try {
      if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
        executor.shutdownNow();
      }
    } catch (InterruptedException e) {
      executor.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
