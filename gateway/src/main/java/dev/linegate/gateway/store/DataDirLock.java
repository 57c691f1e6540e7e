package dev.linegate.gateway.store;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One gateway per data directory: two on one database would both number lots and serials from the
 * same counters. An OS lock on {@code dataDir/linegate.lock}, held for the life of the process,
 * dies with the process, so a gateway killed with kill -9 does not keep the next one out; the file
 * names the holder (pid, host, since when) for the one that is refused.
 */
public final class DataDirLock implements AutoCloseable {

  public static final String FILE_NAME = "linegate.lock";

  /**
   * The lock files this process holds. OS locks belong to the process, and closing any other
   * channel on the file would drop the lock: a second gateway in the same JVM (an embedding test)
   * is refused here, without touching the file.
   */
  private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();

  /** Another gateway holds the data directory. */
  public static final class InUse extends Exception {
    InUse(String holder) {
      super(holder);
    }

    /** The holder, e.g. "the gateway with pid 1234 on host ipc-01 (since 2026-...)". */
    public String holder() {
      return getMessage();
    }
  }

  private final Path file;
  private final FileChannel channel;

  private DataDirLock(Path file, FileChannel channel) {
    this.file = file;
    this.channel = channel;
  }

  public static DataDirLock acquire(Path dataDir) throws IOException, InUse {
    Files.createDirectories(dataDir);
    Path file = dataDir.resolve(FILE_NAME).toAbsolutePath().normalize();
    String self =
        "the gateway with pid "
            + ProcessHandle.current().pid()
            + " on host "
            + host()
            + " (since "
            + Instant.now().truncatedTo(ChronoUnit.SECONDS)
            + ")";
    if (!HELD.add(file)) {
      throw new InUse("the gateway of this process (pid " + ProcessHandle.current().pid() + ")");
    }
    FileChannel channel = null;
    try {
      channel =
          FileChannel.open(
              file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
      FileLock lock = channel.tryLock();
      if (lock == null) {
        throw new InUse(holder(channel));
      }
      channel.truncate(0);
      channel.write(ByteBuffer.wrap((self + "\n").getBytes(StandardCharsets.UTF_8)), 0);
      channel.force(true);
      return new DataDirLock(file, channel);
    } catch (IOException | InUse | RuntimeException e) {
      if (channel != null) {
        channel.close();
      }
      HELD.remove(file);
      throw e;
    }
  }

  /**
   * Releases the lock; the file stays, naming the last holder, which only a refused start reads.
   */
  @Override
  public void close() throws IOException {
    try {
      channel.close();
    } finally {
      HELD.remove(file);
    }
  }

  private static String holder(FileChannel channel) throws IOException {
    ByteBuffer content = ByteBuffer.allocate(512);
    channel.read(content, 0);
    String written =
        new String(content.array(), 0, content.position(), StandardCharsets.UTF_8).strip();
    // The holder writes itself right after taking the lock; it may be between the two.
    return written.isEmpty() ? "another gateway, which is starting" : written;
  }

  private static String host() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return System.getenv().getOrDefault("HOSTNAME", "unknown");
    }
  }
}
