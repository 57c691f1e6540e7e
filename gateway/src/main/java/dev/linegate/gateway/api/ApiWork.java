package dev.linegate.gateway.api;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.util.concurrent.Callable;
import java.util.concurrent.Semaphore;

/**
 * Where the API's blocking work runs (database reads, waits for the store's writer): as many
 * workers as the API has read connections, and a short queue in front of them. A flood of requests
 * waits there or is refused with 503 "busy", instead of growing threads or waiting for connections
 * without end.
 */
final class ApiWork {

  /** Requests waiting for a worker; a few seconds of reads at most. */
  static final int QUEUE = 64;

  private final WorkerExecutor workers;
  private final Semaphore admitted;

  ApiWork(Vertx vertx, int workers) {
    this.workers = vertx.createSharedWorkerExecutor("api-worker", workers);
    this.admitted = new Semaphore(workers + QUEUE);
  }

  /** Runs {@code work} on a worker; the future completes on the caller's event loop. */
  <T> Future<T> run(Callable<T> work) {
    if (!admitted.tryAcquire()) {
      return Future.failedFuture(busy());
    }
    return workers.executeBlocking(work, false).andThen(done -> admitted.release());
  }

  static ApiError busy() {
    return new ApiError(
        503, "busy", "the gateway is answering as many requests as it can; try again in a moment");
  }
}
