package dev.linegate.gateway.core;

import dev.linegate.connectors.ConnectorStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A thread the gateway cannot run without (the store writer, the outbox dispatcher). Ending by
 * anything but a stop its owner asked for (an Error such as OutOfMemoryError, an exception a bug
 * lets out, an interrupt) is a death: the thread's check in /health turns DOWN with the cause, and
 * {@link Fatal} hears of it once. A gateway that answers UP while nothing commits would look alive
 * for months; one that exits is restarted by its service manager.
 */
public final class CoreThread {

  private static final Logger log = LoggerFactory.getLogger(CoreThread.class);

  /** What the process does when a core thread has died; {@code Main} logs and exits with 1. */
  @FunctionalInterface
  public interface Fatal {

    /** Nothing beyond the log and the DOWN check: for a gateway embedded in a test. */
    Fatal NONE = (thread, cause) -> {};

    void died(String thread, Throwable cause);
  }

  /** The work of the thread; it returns only when its owner has asked it to stop. */
  @FunctionalInterface
  public interface Body {
    void run() throws Exception;
  }

  private record Death(String reason, Instant at) {}

  private final String name;
  private final Consumer<Throwable> afterDeath;
  private final Fatal fatal;
  private final Thread thread;
  private final AtomicReference<@Nullable Death> death = new AtomicReference<>();
  private volatile boolean stopping;

  private CoreThread(String name, Body body, Consumer<Throwable> afterDeath, Fatal fatal) {
    this.name = name;
    this.afterDeath = afterDeath;
    this.fatal = fatal;
    this.thread = new Thread(() -> run(body), name);
  }

  public static CoreThread start(String name, Body body, Fatal fatal) {
    return start(name, body, cause -> {}, fatal);
  }

  /**
   * {@code afterDeath} runs on the dying thread once its status is DOWN and before {@code fatal} is
   * told: the owner fails what was waiting for the thread.
   */
  public static CoreThread start(
      String name, Body body, Consumer<Throwable> afterDeath, Fatal fatal) {
    CoreThread core = new CoreThread(name, body, afterDeath, fatal);
    core.thread.start();
    return core;
  }

  private void run(Body body) {
    Throwable cause;
    try {
      body.run();
      if (stopping) {
        return;
      }
      cause = new IllegalStateException(name + " returned without being stopped");
    } catch (Throwable e) {
      cause = e;
    }
    died(name + " died: " + describe(cause), cause);
  }

  /**
   * {@code task} for a thread that works for this one (a sender of the outbox dispatcher): what
   * ends it with an exception or an Error is this thread's death, because the work it held (an
   * event in flight) would otherwise wait for ever with nothing in /health.
   */
  public Runnable guarded(Runnable task) {
    return () -> {
      try {
        task.run();
      } catch (Throwable e) {
        died(name + " died: " + Thread.currentThread().getName() + " stopped by " + describe(e), e);
      }
    };
  }

  private void died(String reason, Throwable cause) {
    if (death.compareAndSet(null, new Death(reason, Instant.now()))) {
      log.error("{}; Linegate cannot run without it", reason, cause);
      try {
        afterDeath.accept(cause);
      } finally {
        fatal.died(name, cause);
      }
    }
  }

  /**
   * {@code running} while the thread lives; DOWN, under the same check name, with the cause once it
   * has died.
   */
  public ConnectorStatus status(ConnectorStatus running) {
    Death dead = death.get();
    return dead == null
        ? running
        : new ConnectorStatus(
            running.name(),
            ConnectorStatus.State.DOWN,
            dead.reason(),
            dead.at(),
            running.reconnects());
  }

  /**
   * Stops the thread on purpose: {@code request} makes its body return (a flag, a wake-up), and
   * that return is not a death. Waits at most {@code patience} for it.
   */
  public void stop(Runnable request, Duration patience) {
    stopping = true;
    request.run();
    try {
      thread.join(patience.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static String describe(Throwable cause) {
    return cause.getMessage() == null
        ? cause.getClass().getSimpleName()
        : cause.getClass().getSimpleName() + ": " + cause.getMessage();
  }
}
