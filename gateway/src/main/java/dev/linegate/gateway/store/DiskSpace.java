package dev.linegate.gateway.store;

import dev.linegate.connectors.ConnectorStatus;
import dev.linegate.connectors.ConnectorStatus.State;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The free space of the data directory's file system, looked at every second. Below {@code
 * gateway.minFreeDiskMb} the gateway takes no new batch ({@link #low()}): a commit that finds the
 * disk full fails after the PLC's signal came in, and SQLite's own temporary space, the WAL and the
 * logs need room to run at all. The check is {@code disk} in {@code /health}.
 */
public final class DiskSpace implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(DiskSpace.class);
  private static final long MB = 1024 * 1024;

  private final Path dataDir;
  private final FileStore store;
  private final long minFreeMb;
  private final List<Runnable> spaceBack = new CopyOnWriteArrayList<>();
  private final ScheduledExecutorService checks =
      Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "disk-check"));
  private volatile long freeBytes;
  private volatile boolean low;
  private volatile Instant since = Instant.now();
  private volatile String problem = "";

  /** Looks once before returning, so that a disk already full holds the very first batch. */
  public DiskSpace(Path dataDir, long minFreeMb, MeterRegistry metrics) throws IOException {
    this.dataDir = dataDir.toAbsolutePath().normalize();
    this.store = Files.getFileStore(dataDir);
    this.minFreeMb = minFreeMb;
    Gauge.builder("linegate_disk_free_bytes", () -> freeBytes)
        .description("Free space for the gateway on the data directory's file system")
        .register(metrics);
    look();
    checks.scheduleWithFixedDelay(this::look, 1, 1, TimeUnit.SECONDS);
  }

  /** Runs on the checking thread each time the space is back above the minimum. */
  public void onSpaceBack(Runnable action) {
    spaceBack.add(action);
  }

  /** Below {@code gateway.minFreeDiskMb}: new batches are to be held. */
  public boolean low() {
    return low;
  }

  /** {@code disk} in {@code /health}; {@code held} batches wait for space. */
  public ConnectorStatus status(int held) {
    String free = freeBytes / MB + " MB free on " + dataDir;
    if (minFreeMb == 0) {
      return new ConnectorStatus(
          "disk", State.UP, free + " (not watched: gateway.minFreeDiskMb is 0)", since, 0);
    }
    if (!problem.isEmpty()) {
      return new ConnectorStatus(
          "disk", State.DOWN, "free space cannot be read: " + problem, since, 0);
    }
    if (low) {
      return new ConnectorStatus(
          "disk",
          State.DOWN,
          free
              + ", below gateway.minFreeDiskMb "
              + minFreeMb
              + ": new batches are held ("
              + held
              + " waiting) until there is space again",
          since,
          0);
    }
    return new ConnectorStatus(
        "disk", State.UP, free + " (batches are held below " + minFreeMb + " MB)", since, 0);
  }

  private void look() {
    try {
      freeBytes = store.getUsableSpace();
      if (!problem.isEmpty()) {
        problem = "";
        since = Instant.now();
      }
    } catch (IOException | RuntimeException e) {
      // Not knowing is not full: the line goes on, and /health says so.
      if (problem.isEmpty()) {
        log.warn("Disk: the free space of {} cannot be read: {}", dataDir, e.getMessage());
        since = Instant.now();
      }
      problem = String.valueOf(e.getMessage());
      return;
    }
    boolean below = minFreeMb > 0 && freeBytes < minFreeMb * MB;
    if (below == low) {
      return;
    }
    low = below;
    since = Instant.now();
    if (below) {
      log.warn(
          "Disk: {} MB free on {}, below gateway.minFreeDiskMb {}: new batches are held (not acknowledged) until there is space again",
          freeBytes / MB,
          dataDir,
          minFreeMb);
    } else {
      log.info(
          "Disk: {} MB free on {} again; the held batches are taken now", freeBytes / MB, dataDir);
      for (Runnable action : spaceBack) {
        try {
          action.run();
        } catch (RuntimeException e) {
          // A failure here must not end the checks: the scheduler would drop them silently.
          log.error("Disk: releasing what waited for space failed", e);
        }
      }
    }
  }

  @Override
  public void close() {
    checks.shutdownNow();
  }
}
