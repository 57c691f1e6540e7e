package dev.linegate.gateway.config;

import dev.linegate.connectors.Secret;
import dev.linegate.connectors.tls.TlsException;
import dev.linegate.connectors.tls.TlsFiles;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;

/**
 * A {@code tls} block of PEM files (SPEC sections 11 and 12): each file is read here once, so that
 * a wrong path or a key that will not decrypt stops start-up naming its key; the connection reads
 * them again when it opens.
 */
final class TlsReader {

  private TlsReader() {}

  /** A client's {@code tls: {ca, cert, key, keyPassword}}: all optional, cert and key together. */
  static Optional<TlsFiles> client(ConfigNode node) {
    node.allowOnly(Set.of("ca", "cert", "key", "keyPassword"));
    return read(node, node.optionalString("ca").map(Path::of), false);
  }

  /** A server's {@code tls: {cert, key, keyPassword}}: its certificate and key are required. */
  static Optional<TlsFiles> server(ConfigNode node) {
    node.allowOnly(Set.of("cert", "key", "keyPassword"));
    return read(node, Optional.empty(), true);
  }

  private static Optional<TlsFiles> read(ConfigNode node, Optional<Path> ca, boolean server) {
    Optional<Path> cert = node.optionalString("cert").map(Path::of);
    Optional<Path> key = node.optionalString("key").map(Path::of);
    Secret keyPassword = new Secret(node.string("keyPassword", ""));
    if (server && cert.isEmpty() && key.isEmpty()) {
      node.problem(node.key("cert"), "and key are required: the server's certificate and key");
      return Optional.empty();
    }
    if (cert.isPresent() != key.isPresent()) {
      node.problem(
          node.key(cert.isPresent() ? "key" : "cert"),
          "is needed with " + (cert.isPresent() ? "cert" : "key"));
      return Optional.empty();
    }
    // & rather than &&: every file that cannot be used is named, not only the first.
    boolean readable =
        readable(node, "ca", ca, TlsFiles::certificates)
            & readable(node, "cert", cert, TlsFiles::certificates)
            & readable(node, "key", key, file -> TlsFiles.privateKey(file, keyPassword));
    readable =
        readable
            && readable(node, "key", key, file -> TlsFiles.matching(cert.get(), file, keyPassword));
    return readable ? Optional.of(new TlsFiles(ca, cert, key, keyPassword)) : Optional.empty();
  }

  private interface Read {
    void read(Path file) throws TlsException;
  }

  private static boolean readable(ConfigNode node, String name, Optional<Path> file, Read read) {
    if (file.isEmpty()) {
      return true;
    }
    try {
      read.read(file.get());
      return true;
    } catch (TlsException e) {
      node.problem(node.key(name), e.getMessage());
      return false;
    }
  }
}
