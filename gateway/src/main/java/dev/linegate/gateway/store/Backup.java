package dev.linegate.gateway.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * A consistent copy of a database that a gateway may be writing to. {@code VACUUM INTO} on a
 * read-only connection copies one snapshot (a read transaction, which in WAL mode does not hold up
 * the writer, and takes no lock of the gateway's); the copy is written under a temporary name
 * beside the target, flushed to disk (SQLite does not sync it), checked with {@code
 * integrity_check}, and only then renamed to the target, so a target never holds half a copy.
 */
public final class Backup {

  private Backup() {}

  /**
   * Copies the database of {@code dataDir} to {@code target}, whose directory must exist; an
   * existing target is replaced only if {@code replace}, else this fails with {@link
   * java.nio.file.FileAlreadyExistsException}.
   */
  public static DatabaseCheck.Sound write(Path dataDir, Path target, boolean replace)
      throws IOException, SQLException, DamagedDatabase {
    Path absolute = target.toAbsolutePath();
    Path directory = absolute.getParent();
    Path partial = Files.createTempFile(directory, "." + absolute.getFileName() + ".", ".partial");
    DatabaseCheck.Sound copied;
    try {
      try (Connection source = Database.readOnly(dataDir);
          PreparedStatement vacuum = source.prepareStatement("VACUUM INTO ?")) {
        vacuum.setString(1, partial.toString());
        vacuum.execute();
      }
      try (FileChannel copy = FileChannel.open(partial, StandardOpenOption.WRITE)) {
        copy.force(true);
      }
      try (Connection copy = Database.readOnlyFile(partial)) {
        copied = DatabaseCheck.full(copy, partial);
      }
      if (replace) {
        Files.move(
            partial, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } else {
        // Without REPLACE_EXISTING a target that appeared meanwhile is not overwritten.
        Files.move(partial, absolute);
      }
      // The rename is durable only once the directory is on disk too.
      try (FileChannel folder = FileChannel.open(directory, StandardOpenOption.READ)) {
        folder.force(true);
      }
    } finally {
      Files.deleteIfExists(partial);
    }
    return new DatabaseCheck.Sound(absolute, copied.bytes(), copied.lots());
  }
}
