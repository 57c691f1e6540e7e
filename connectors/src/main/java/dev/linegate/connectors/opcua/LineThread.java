package dev.linegate.connectors.opcua;

import dev.linegate.connectors.Backoff;
import dev.linegate.connectors.ConnectorThread;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread a line's handshake and subscription run on, one step at a time, and the line's
 * backoff after failures. Work handed to it after {@link #close()} is dropped.
 */
final class LineThread {

  private static final Logger log = LoggerFactory.getLogger(LineThread.class);

  private final String line;
  private final Backoff backoff;
  private final ScheduledExecutorService worker;
  private int failedAttempts;

  /**
   * {@code recovery} hears, on this thread, of any step that threw (see {@link ConnectorThread}).
   */
  LineThread(String line, Backoff backoff, Consumer<Throwable> recovery) {
    this.line = line;
    this.backoff = backoff;
    this.worker = ConnectorThread.create("opcua-" + line, log, recovery);
  }

  void run(Runnable task) {
    try {
      worker.execute(task);
    } catch (RejectedExecutionException e) {
      log.debug("Line {}: closed, event dropped", line);
    }
  }

  /** Null once closed. */
  @Nullable ScheduledFuture<?> schedule(Runnable task, long delayMillis) {
    try {
      return worker.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      return null;
    }
  }

  void every(long periodMillis, Runnable task) {
    worker.scheduleWithFixedDelay(
        () -> {
          // A periodic task that throws is never run again: it must survive its own failures.
          try {
            task.run();
          } catch (RuntimeException e) {
            log.error("Line {}: periodic task failed", line, e);
          }
        },
        periodMillis,
        periodMillis,
        TimeUnit.MILLISECONDS);
  }

  /** The wait before the next attempt; each call counts one more failure. */
  long backoffMillis() {
    return backoff.delay(++failedAttempts).toMillis();
  }

  void succeeded() {
    failedAttempts = 0;
  }

  /** Lets the task queued now run, then stops; waits at most five seconds. */
  void close() {
    ConnectorThread.stop(worker);
  }
}
