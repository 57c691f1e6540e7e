package dev.linegate.connectors.opcua;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Makes the OPC UA batch sources of a gateway: one client session per endpoint (URL, security,
 * user, PKI), shared by the lines configured on it, and one certificate per PKI directory.
 *
 * <pre>{@code
 * try (var opcua = new OpcUaConnections()) {
 *   BatchSource l1 = opcua.source(l1Config);   // same endpoint: one session for both
 *   BatchSource l2 = opcua.source(l2Config);
 *   l1.start(intake::accept);
 *   l2.start(intake::accept);
 *   ...
 * }                                            // closes every source, session and trust list
 * }</pre>
 *
 * A source's {@code close()} releases its share of the session; the last one closes it.
 */
public final class OpcUaConnections implements AutoCloseable {

  private final Map<OpcUaEndpointConfig, Shared> endpoints = new LinkedHashMap<>();
  private final Map<Path, OpcUaPki> pkis = new HashMap<>();
  private final Set<String> lines = new HashSet<>();
  private final List<OpcUaBatchSource> sources = new ArrayList<>();
  private boolean closed;

  private static final class Shared {
    final OpcUaEndpoint endpoint;
    int users;

    Shared(OpcUaEndpoint endpoint) {
      this.endpoint = endpoint;
    }
  }

  /** The line's source; it connects when started. */
  public synchronized OpcUaBatchSource source(OpcUaSourceConfig config) {
    if (closed) {
      throw new IllegalStateException("closed");
    }
    if (!lines.add(config.line())) {
      throw new IllegalArgumentException("line " + config.line() + " has an OPC UA source already");
    }
    OpcUaEndpointConfig key = config.endpointConfig();
    Shared shared =
        endpoints.computeIfAbsent(
            key, k -> new Shared(new OpcUaEndpoint(k, () -> pki(k.pkiDir()))));
    shared.users++;
    var source = new OpcUaBatchSource(config, shared.endpoint, () -> release(config.line(), key));
    sources.add(source);
    return source;
  }

  private synchronized OpcUaPki pki(Path dir) throws Exception {
    OpcUaPki pki = pkis.get(dir);
    if (pki == null) {
      pki = OpcUaPki.open(dir);
      pkis.put(dir, pki);
    }
    return pki;
  }

  private void release(String line, OpcUaEndpointConfig key) {
    OpcUaEndpoint unused = null;
    synchronized (this) {
      lines.remove(line);
      Shared shared = endpoints.get(key);
      if (shared != null && --shared.users == 0) {
        endpoints.remove(key);
        unused = shared.endpoint;
      }
    }
    if (unused != null) {
      unused.close();
    }
  }

  @Override
  public void close() {
    List<OpcUaBatchSource> open;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      open = List.copyOf(sources);
    }
    open.forEach(OpcUaBatchSource::close);
    List<OpcUaEndpoint> left;
    synchronized (this) {
      left = endpoints.values().stream().map(s -> s.endpoint).toList();
      endpoints.clear();
    }
    left.forEach(OpcUaEndpoint::close);
    synchronized (this) {
      pkis.values().forEach(OpcUaPki::close);
      pkis.clear();
    }
  }
}
