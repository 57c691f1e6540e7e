package dev.linegate.connectors.mqtt;

import dev.linegate.connectors.Connection;
import dev.linegate.connectors.Errors;
import dev.linegate.connectors.batch.BatchAcknowledgment;
import dev.linegate.connectors.batch.BatchSignal;
import dev.linegate.connectors.batch.BatchSource;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A line's batch-complete topic, subscribed at QoS 1 with a persistent session. Messages are
 * acknowledged to the broker only when the gateway says their batch is committed, so a message in
 * flight during a crash is delivered again. The connection is kept up by {@link Connection}, with
 * backoff, from the first attempt on (Paho's own reconnect does not cover a failed first connect).
 *
 * <p>Signals are handed to the sink on Paho's callback thread; their PUBACKs are sent from the
 * source's own thread ({@code mqtt-<line>}), like every other step of the connection.
 */
public final class MqttBatchSource extends Connection<MqttSession> implements BatchSource {

  private static final Logger log = LoggerFactory.getLogger(MqttBatchSource.class);

  /**
   * A batch message is a few hundred bytes. A larger one is a fault of the sender: it is passed on
   * cut to this many bytes with its size, so that it is recorded as a reject and acknowledged
   * without ever being parsed (parsing a 20 MB message took more heap than the gateway has, and the
   * broker delivered it again after every reconnect).
   */
  public static final int MAX_MESSAGE_BYTES = 64 * 1024;

  private final MqttSourceConfig config;
  private final String origin;

  /**
   * Foreign topics, each with the connection it was last unsubscribed on: warned about once and
   * unsubscribed once per connection, however many messages the broker had kept for them.
   */
  private final Map<String, Integer> strayTopics = new ConcurrentHashMap<>();

  private Consumer<BatchSignal> sink = signal -> {};

  public MqttBatchSource(MqttSourceConfig config) {
    super("mqtt", config.line(), "mqtt-" + config.line(), config.reconnect(), log);
    this.config = config;
    this.origin = "mqtt " + config.broker() + " " + config.topic();
  }

  @Override
  public String line() {
    return config.line();
  }

  @Override
  public void start(Consumer<BatchSignal> sink) {
    this.sink = sink;
    connect();
  }

  @Override
  protected MqttSession open(int connection) throws Exception {
    MqttSession attempt =
        config.version() == MqttSourceConfig.Version.V5
            ? new Mqtt5Session(config)
            : new Mqtt3Session(config);
    try {
      attempt.open(listener(attempt, connection));
      return attempt;
    } catch (Exception e) {
      attempt.close();
      throw e;
    }
  }

  @Override
  protected String describe(MqttSession session) {
    return "subscribed to " + config.topic() + " on " + config.broker();
  }

  @Override
  protected void opened(MqttSession session, int connection, boolean again) {
    log.info("Line {}: subscribed to {} on {}", config.line(), config.topic(), config.broker());
  }

  @Override
  protected void disconnect(MqttSession session) {
    session.close();
  }

  @Override
  protected String whyNot(Exception failure) {
    return "connect failed to "
        + config.broker()
        + " (MQTT "
        + config.version().label()
        + "): "
        + Errors.describe(failure);
  }

  private MqttSession.Listener listener(MqttSession owner, int connection) {
    return new MqttSession.Listener() {
      @Override
      public void delivered(MqttSession.Delivery delivery) {
        if (!delivery.topic().equals(config.topic())) {
          strayTopic(owner, connection, delivery);
          return;
        }
        sink.accept(signal(delivery, acknowledgment(owner, connection, delivery)));
      }

      @Override
      public void lost(Throwable cause) {
        MqttBatchSource.this.lost(connection, "connection lost: " + Errors.describe(cause));
      }
    };
  }

  /** Paho's own array, copied only as far as the limit. */
  private BatchSignal signal(MqttSession.Delivery delivery, BatchAcknowledgment acknowledgment) {
    byte[] payload = delivery.payload();
    byte[] kept =
        payload.length > MAX_MESSAGE_BYTES ? Arrays.copyOf(payload, MAX_MESSAGE_BYTES) : payload;
    return new BatchSignal(
        config.line(), origin, kept, delivery.size(), Instant.now(), acknowledgment);
  }

  /**
   * A message on another topic than the line's: a subscription the broker's persistent session kept
   * after the line's topic was changed. It is not this line's batch. Acknowledged, so that it is
   * not delivered again for ever, and the subscription is dropped.
   */
  private void strayTopic(MqttSession owner, int connection, MqttSession.Delivery delivery) {
    execute(() -> acknowledge(owner, connection, delivery));
    Integer unsubscribedOn = strayTopics.put(delivery.topic(), connection);
    if (unsubscribedOn == null) {
      log.warn(
          "Line {}: a message came on {}, which is not the line's topic {} (a subscription the broker kept for the session from an earlier configuration?); acknowledged and ignored, and unsubscribing from it",
          config.line(),
          delivery.topic(),
          config.topic());
    }
    if (Integer.valueOf(connection).equals(unsubscribedOn)) {
      return;
    }
    // Not on Paho's callback thread, which must be free to receive the broker's UNSUBACK.
    execute(
        () -> {
          if (!current(connection)) {
            return;
          }
          try {
            owner.unsubscribe(delivery.topic());
          } catch (Exception e) {
            log.warn(
                "Line {}: could not unsubscribe from {}: {}",
                config.line(),
                delivery.topic(),
                Errors.describe(e));
          }
        });
  }

  private BatchAcknowledgment acknowledgment(
      MqttSession owner, int connection, MqttSession.Delivery delivery) {
    return new BatchAcknowledgment() {
      @Override
      public void committed(Optional<String> lot) {
        execute(() -> acknowledge(owner, connection, delivery));
      }

      /** The broker redelivers unacknowledged messages only on a new connection: make one. */
      @Override
      public void failed(Throwable cause) {
        lost(
            connection,
            "message "
                + delivery.messageId()
                + " could not be stored ("
                + Errors.describe(cause)
                + "); reconnecting to have it redelivered");
      }
    };
  }

  /**
   * A PUBACK belongs to the connection that received the message: after a reconnect the same
   * message id may name another, uncommitted message. The broker redelivers the old one instead.
   */
  private void acknowledge(MqttSession owner, int connection, MqttSession.Delivery delivery) {
    if (!current(connection)) {
      return;
    }
    try {
      owner.acknowledge(delivery);
    } catch (Exception e) {
      log.debug(
          "Line {}: PUBACK for message {} not sent ({}); the broker will redeliver it",
          config.line(),
          delivery.messageId(),
          Errors.describe(e));
    }
  }
}
