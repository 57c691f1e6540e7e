package dev.linegate.gateway.numbering;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The high-water record, {@code dataDir/linegate.highwater}: the serial key and, per counter, a
 * reservation at or above any value the counter has reached. It lives beside the database and not
 * in it, so that it survives when an older copy of the database is put back.
 *
 * @param generation raised at every write; the database remembers the generation it has caught up
 *     with
 */
record HighWater(long generation, byte[] serialKey, Map<String, Long> reservations) {

  static final String FILE_NAME = "linegate.highwater";

  private static final ObjectMapper JSON = new ObjectMapper();

  HighWater {
    serialKey = serialKey.clone();
    reservations = Map.copyOf(reservations);
  }

  @Override
  public byte[] serialKey() {
    return serialKey.clone();
  }

  long reservation(String counter) {
    return reservations.getOrDefault(counter, 0L);
  }

  HighWater reserve(String counter, long value) {
    Map<String, Long> raised = new TreeMap<>(reservations);
    raised.put(counter, value);
    return new HighWater(generation + 1, serialKey, raised);
  }

  static Optional<HighWater> read(Path file) throws IOException {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
    try {
      JsonNode root = JSON.readTree(bytes);
      Map<String, Long> reservations = new TreeMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = root.required("reservations").fields();
          it.hasNext(); ) {
        Map.Entry<String, JsonNode> entry = it.next();
        reservations.put(entry.getKey(), entry.getValue().asLong());
      }
      return Optional.of(
          new HighWater(
              root.required("generation").asLong(),
              Base64.getDecoder().decode(root.required("serialKey").asText()),
              reservations));
    } catch (IOException | IllegalArgumentException e) {
      // Never quoted: the file holds the serial key.
      throw new IOException(
          file
              + " cannot be read ("
              + e.getClass().getSimpleName()
              + "); put back a copy of it or see \"Restore\" in the README",
          e);
    }
  }

  /**
   * Temp file, fsync, rename, fsync of the directory: after a crash the file is the old record or
   * the new one, never half of one. Owner-only where the file system has permissions: it holds the
   * serial key.
   */
  void write(Path file) throws IOException {
    ObjectNode root = JSON.createObjectNode();
    root.put("generation", generation);
    root.put("serialKey", Base64.getEncoder().encodeToString(serialKey));
    ObjectNode counters = root.putObject("reservations");
    new TreeMap<>(reservations).forEach(counters::put);
    byte[] bytes = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
    Path temp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.deleteIfExists(temp);
    if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
      Files.createFile(
          temp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    }
    try (FileChannel channel =
        FileChannel.open(
            temp,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
      ByteBuffer buffer = ByteBuffer.wrap(bytes);
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
      channel.force(true);
    }
    Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    try (FileChannel directory =
        FileChannel.open(file.toAbsolutePath().getParent(), StandardOpenOption.READ)) {
      directory.force(true);
    } catch (IOException e) {
      // Some platforms cannot open a directory; the rename itself is still atomic there.
    }
  }
}
