package dev.linegate.simulator;

import io.vertx.core.Future;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Waits for a Vert.x server's future (listen, close) from a thread of the simulator's caller, at
 * most 10 s; a failure names the part and what it was doing. Never on an event loop.
 */
public final class VertxAwait {

  private static final long TIMEOUT_SECONDS = 10;

  private VertxAwait() {}

  public static <T> T result(Future<T> future, String part, String what) {
    try {
      return future
          .toCompletionStage()
          .toCompletableFuture()
          .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new IllegalStateException(
          part + " " + what + ": " + e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException(
          part + " " + what + ": no answer in " + TIMEOUT_SECONDS + " s", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(part + " " + what + ": interrupted", e);
    }
  }
}
