package dev.linegate.connectors;

import dev.linegate.connectors.ConnectorStatus.State;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;

/**
 * A connection that keeps itself open: opened on {@link #connect()}, and whenever it is lost or
 * would not open, opened again after a capped backoff with jitter, for as long as it is not closed.
 * The base of every connector that holds a connection: inputs (MQTT, the OPC UA session, scanners)
 * and outputs (printers).
 *
 * <p>Every step of the connection runs on its one thread ({@code threadName}): opening, what the
 * subclass does with the open session, the acknowledgments of what came in ({@link #execute}), the
 * close. So sessions never overlap, and an acknowledgment can never reach a session other than the
 * one its message came on: each session has a number ({@code connection}), and work for a number
 * that is no longer the current one is dropped. A step that throws, whatever it throws, drops the
 * session and starts over with the backoff (see {@link ConnectorThread}). An output's calls run on
 * the same thread ({@link #submit}), so they too meet only the session open now.
 *
 * @param <S> the open session: a client, a port
 */
public abstract class Connection<S> implements Connector {

  private final String kind;
  private final String id;
  private final Logger log;
  private final ScheduledExecutorService thread;
  private final LinkHealth health;
  private final AtomicLong openAttempts = new AtomicLong();
  private volatile boolean closed;

  // Touched on the connection's thread only.
  private boolean started;
  private int connection;
  private @Nullable S session;
  private @Nullable ScheduledFuture<?> nextAttempt;

  protected Connection(String kind, String id, String threadName, Backoff backoff, Logger log) {
    this.kind = kind;
    this.id = id;
    this.log = log;
    this.health = new LinkHealth(kind + ":" + id, backoff);
    this.thread = ConnectorThread.create(threadName, log, this::failedOnThread);
  }

  /** Opens a session; runs on the connection's thread. The session is number {@code connection}. */
  protected abstract S open(int connection) throws Exception;

  /** What /health says while {@code session} is open. */
  protected abstract String describe(S session);

  /** Closes a session that is lost or no longer wanted; must not throw. */
  protected abstract void disconnect(S session);

  /** The session is open and UP; {@code again} when it is a reconnect. On the thread. */
  protected void opened(S session, int connection, boolean again) {}

  /** The session open until now is lost or closed; called before {@link #disconnect}. */
  protected void dropped(S session) {}

  /** Why an attempt to open failed, for /health and the log. */
  protected String whyNot(Exception failure) {
    return "connect failed: " + Errors.describe(failure);
  }

  @Override
  public final String kind() {
    return kind;
  }

  @Override
  public final String id() {
    return id;
  }

  @Override
  public ConnectorStatus status() {
    return health.status();
  }

  /**
   * Times a session was tried to be opened, successful or not: a lost peer is not hammered. The
   * gateway exports it as {@code linegate_connector_open_attempts_total}.
   */
  public final long openAttempts() {
    return openAttempts.get();
  }

  /** Starts connecting, on the connection's thread; a second call does nothing. */
  protected final void connect() {
    execute(
        () -> {
          if (!started) {
            started = true;
            attempt();
          }
        });
  }

  /** Runs {@code task} on the connection's thread; dropped once the connection is closed. */
  protected final void execute(Runnable task) {
    try {
      thread.execute(task);
    } catch (RejectedExecutionException e) {
      log.debug("{}: closed, task dropped", health.name());
    }
  }

  /**
   * Runs {@code task} on the connection's thread, after what is queued there, and completes with
   * what it returns or throws; fails at once once the connection is closed. What an output is asked
   * to do runs this way, so that it never overlaps a reconnect. The first call connects.
   */
  protected final <T> CompletableFuture<T> submit(Callable<T> task) {
    CompletableFuture<T> outcome = new CompletableFuture<>();
    connect();
    try {
      thread.execute(
          () -> {
            try {
              outcome.complete(task.call());
            } catch (Throwable e) {
              outcome.completeExceptionally(e);
              if (e instanceof Error error) {
                // Past the caller too: the thread starts over as after any unforeseen failure.
                throw error;
              }
            }
          });
    } catch (RejectedExecutionException e) {
      outcome.completeExceptionally(new IllegalStateException(health.name() + ": closed"));
    }
    return outcome;
  }

  /** Like {@link #execute}, after {@code delay}. */
  protected final void schedule(Runnable task, Duration delay) {
    try {
      thread.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      log.debug("{}: closed, task dropped", health.name());
    }
  }

  /** On the thread: whether {@code connection} is the session open now. */
  protected final boolean current(int connection) {
    return !closed && session != null && this.connection == connection;
  }

  /** On the thread: the session open now, and its number. */
  protected final @Nullable S session() {
    return session;
  }

  protected final int connection() {
    return connection;
  }

  protected final boolean closed() {
    return closed;
  }

  /**
   * From any thread: session {@code connection} is lost, or no longer usable. It is closed and a
   * new one opened after the backoff; for a session that is gone already, nothing happens.
   */
  protected final void lost(int connection, String why) {
    execute(
        () -> {
          if (current(connection)) {
            drop();
            retry(why);
          }
        });
  }

  /**
   * On the thread: the session open now is lost. It is closed at once and a new one opened after
   * the backoff, which is returned.
   */
  protected final Duration reopen(String why) {
    drop();
    return retry(why);
  }

  /** On the thread, while no session is open: why not, and when the next attempt is. */
  protected final String notOpen() {
    return closed
        ? "closed"
        : health.lastProblem() + "; reopening in " + health.untilNextAttempt().toMillis() + " ms";
  }

  /** UP or DOWN for a reason that leaves the session open, such as a printer out of paper. */
  protected final void mark(State state, String detail) {
    health.mark(state, detail);
  }

  private void attempt() {
    nextAttempt = null;
    if (closed || session != null) {
      return;
    }
    int number = ++connection;
    openAttempts.incrementAndGet();
    S opened;
    try {
      opened = open(number);
    } catch (Exception e) {
      retry(whyNot(e));
      return;
    }
    session = opened;
    boolean again = health.opened(describe(opened));
    opened(opened, number, again);
  }

  private Duration retry(String why) {
    if (closed) {
      return Duration.ZERO;
    }
    if (nextAttempt != null) {
      nextAttempt.cancel(false);
    }
    Duration delay = health.failed(why);
    log.warn("{}: {}; retrying in {} ms", health.name(), why, delay.toMillis());
    try {
      nextAttempt = thread.schedule(this::attempt, delay.toNanos(), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      // Closed in between: nothing to reopen.
    }
    return delay;
  }

  private void drop() {
    S old = session;
    session = null;
    connection++;
    if (old != null) {
      dropped(old);
      disconnect(old);
    }
  }

  /** A step on the thread threw past its own handling: start over, as after any other failure. */
  private void failedOnThread(Throwable failure) {
    if (!closed && started) {
      drop();
      retry("unexpected failure: " + Errors.describe(failure));
    }
  }

  /** Closes the session and stops the thread; what was queued on it before runs first. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    execute(this::drop);
    ConnectorThread.stop(thread);
    health.mark(State.STOPPED, "stopped");
  }
}
