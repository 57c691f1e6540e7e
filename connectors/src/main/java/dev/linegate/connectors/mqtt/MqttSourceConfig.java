package dev.linegate.connectors.mqtt;

import dev.linegate.connectors.Backoff;
import dev.linegate.connectors.Secret;
import dev.linegate.connectors.tls.TlsException;
import dev.linegate.connectors.tls.TlsFiles;
import java.time.Duration;
import java.util.Optional;
import javax.net.ssl.SSLSocketFactory;

/**
 * One line's MQTT subscription (SPEC section 2, {@code lines[].source.mqtt}); {@code tls} for an
 * {@code ssl://} broker with a private CA or a client certificate (SPEC section 12).
 */
public record MqttSourceConfig(
    String line,
    String broker,
    Version version,
    String topic,
    String clientId,
    String username,
    Secret password,
    Optional<TlsFiles> tls,
    Backoff reconnect) {

  public static final Backoff DEFAULT_RECONNECT =
      new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30));

  boolean encrypted() {
    return broker.startsWith("ssl://");
  }

  /** The files read anew for this connection; the JVM's public CAs without {@code tls}. */
  SSLSocketFactory socketFactory() throws TlsException {
    return tls.isPresent()
        ? tls.get().clientContext().getSocketFactory()
        : (SSLSocketFactory) SSLSocketFactory.getDefault();
  }

  public enum Version {
    V3_1_1("3.1.1"),
    V5("5");

    private final String label;

    Version(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }
}
