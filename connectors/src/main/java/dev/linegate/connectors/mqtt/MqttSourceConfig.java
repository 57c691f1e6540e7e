package dev.linegate.connectors.mqtt;

import dev.linegate.connectors.Backoff;
import dev.linegate.connectors.Secret;
import java.time.Duration;

/** One line's MQTT subscription (SPEC section 2, {@code lines[].source.mqtt}). */
public record MqttSourceConfig(
    String line,
    String broker,
    Version version,
    String topic,
    String clientId,
    String username,
    Secret password,
    Backoff reconnect) {

  public static final Backoff DEFAULT_RECONNECT =
      new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30));

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
