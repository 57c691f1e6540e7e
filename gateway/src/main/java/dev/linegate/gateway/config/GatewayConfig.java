package dev.linegate.gateway.config;

import dev.linegate.connectors.Secret;
import dev.linegate.connectors.tls.TlsFiles;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The whole validated configuration; after {@link ConfigLoader} the code trusts it. Below {@code
 * minFreeDiskMb} free on the data directory's disk new batches are held (0: not watched).
 */
public record GatewayConfig(
    String id,
    Path dataDir,
    HttpConfig http,
    AuthConfig auth,
    int minFreeDiskMb,
    LoggingConfig logging,
    List<ProductConfig> products,
    List<LineConfig> lines,
    List<PrinterConfig> printers,
    List<ScannerConfig> scanners,
    List<SerialProviderConfig> serialProviders,
    Optional<Gs1Config> gs1,
    List<StationConfig> stations,
    ErpConfig erp) {

  /**
   * The API's address; with {@code tls} it serves HTTPS only. A connection silent for {@code
   * idleTimeout} is closed; an open screen's live feed speaks every half of it to stay open.
   */
  public record HttpConfig(String host, int port, Optional<TlsFiles> tls, Duration idleTimeout) {

    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(30);

    public String url() {
      return (tls.isPresent() ? "https" : "http") + "://" + host + ":" + port + "/";
    }
  }

  /**
   * Logins (SPEC section 11): a session lasts {@code sessionMinutes} from its login; {@code
   * protectMetrics} puts {@code /health} and {@code /metrics} behind a login or token too.
   */
  public record AuthConfig(int sessionMinutes, boolean protectMetrics) {}

  /** A serial number provider (SPEC section 8): the L4 system that owns the number space. */
  public record SerialProviderConfig(String id, URI url, Map<String, Secret> headers) {}

  /** {@code json}: one JSON object per log line, for log shippers; else the readable text. */
  public record LoggingConfig(boolean json) {}

  public Map<String, LineConfig> linesById() {
    return lines.stream()
        .collect(Collectors.toUnmodifiableMap(LineConfig::id, Function.identity()));
  }

  public Map<String, ProductConfig> productsByCode() {
    return products.stream()
        .collect(Collectors.toUnmodifiableMap(ProductConfig::code, Function.identity()));
  }
}
