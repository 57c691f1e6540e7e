package dev.linegate.connectors;

import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;

/**
 * The one thread a connection lives on. A reconnect still waiting for its backoff is dropped at
 * shutdown instead of being waited for, and a task that throws is logged instead of vanishing
 * into a future nobody reads.
 */
public final class ConnectorThread {

  private ConnectorThread() {}

  public static ScheduledExecutorService create(String name, Logger log) {
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
              log.error("Unexpected failure on {}", name, failure);
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
