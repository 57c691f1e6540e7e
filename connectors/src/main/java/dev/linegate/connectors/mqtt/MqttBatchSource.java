package dev.linegate.connectors.mqtt;

import dev.linegate.connectors.ConnectorStatus;
import dev.linegate.connectors.ConnectorStatus.State;
import dev.linegate.connectors.ConnectorThread;
import dev.linegate.connectors.batch.BatchAcknowledgment;
import dev.linegate.connectors.batch.BatchSignal;
import dev.linegate.connectors.batch.BatchSource;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A line's batch-complete topic, subscribed at QoS 1 with a persistent session. Messages are
 * acknowledged to the broker only when the gateway says their batch is committed, so a message in
 * flight during a crash is delivered again. The connection is kept up by this class itself, with
 * backoff, from the first attempt on (Paho's own reconnect does not cover a failed first connect).
 */
public final class MqttBatchSource implements BatchSource {

  private static final Logger log = LoggerFactory.getLogger(MqttBatchSource.class);

  /**
   * A batch message is a few hundred bytes. A larger one is a fault of the sender: it is passed on
   * cut to this many bytes with its size, so that it is recorded as a reject and acknowledged
   * without ever being parsed (parsing a 20 MB message took more heap than the gateway has, and the
   * broker delivered it again after every reconnect).
   */
  public static final int MAX_MESSAGE_BYTES = 64 * 1024;

  private final MqttSourceConfig config;
  private final ScheduledExecutorService connector;
  private final String origin;
  private final AtomicInteger generation = new AtomicInteger();

  /**
   * Foreign topics, each with the connection it was last unsubscribed on: warned about once and
   * unsubscribed once per connection, however many messages the broker had kept for them.
   */
  private final Map<String, Integer> strayTopics = new ConcurrentHashMap<>();

  private volatile ConnectorStatus status;
  private volatile boolean closed;
  private volatile @Nullable Consumer<BatchSignal> sink;
  private MqttSession session;
  private int failedAttempts;
  private long reconnects;

  public MqttBatchSource(MqttSourceConfig config) {
    this.config = config;
    this.origin = "mqtt " + config.broker() + " " + config.topic();
    this.connector = ConnectorThread.create("mqtt-" + config.line(), log, this::stepFailed);
    this.status = new ConnectorStatus(name(), State.STOPPED, "not started", Instant.now(), 0);
  }

  @Override
  public String line() {
    return config.line();
  }

  @Override
  public void start(Consumer<BatchSignal> sink) {
    this.sink = sink;
    connector.execute(() -> connect(sink));
  }

  /** A step on the connector's thread threw: a new connection, as after any other failure. */
  private void stepFailed(Throwable failure) {
    Consumer<BatchSignal> started = sink;
    if (started != null && !closed) {
      scheduleReconnect(started, "unexpected failure: " + describe(failure));
    }
  }

  @Override
  public ConnectorStatus status() {
    return status;
  }

  private String name() {
    return "mqtt:" + config.line();
  }

  /** Runs on the connector thread only, so sessions never overlap. */
  private void connect(Consumer<BatchSignal> sink) {
    if (closed) {
      return;
    }
    closeSession();
    setStatus(
        State.CONNECTING,
        "connecting to " + config.broker() + " (MQTT " + config.version().label() + ")");
    int current = generation.incrementAndGet();
    MqttSession attempt =
        config.version() == MqttSourceConfig.Version.V5
            ? new Mqtt5Session(config)
            : new Mqtt3Session(config);
    try {
      attempt.open(listener(sink, attempt, current));
      session = attempt;
      failedAttempts = 0;
      setStatus(State.UP, "subscribed to " + config.topic() + " on " + config.broker());
      log.info("Line {}: subscribed to {} on {}", config.line(), config.topic(), config.broker());
    } catch (Exception e) {
      attempt.close();
      scheduleReconnect(sink, "connect failed: " + describe(e));
    }
  }

  private MqttSession.Listener listener(
      Consumer<BatchSignal> sink, MqttSession owner, int connection) {
    return new MqttSession.Listener() {
      @Override
      public void delivered(MqttSession.Delivery delivery) {
        if (!delivery.topic().equals(config.topic())) {
          strayTopic(owner, connection, delivery);
          return;
        }
        sink.accept(signal(delivery, acknowledgment(sink, owner, connection, delivery)));
      }

      @Override
      public void lost(Throwable cause) {
        connector.execute(
            () -> {
              if (generation.get() == connection && !closed) {
                reconnects++;
                scheduleReconnect(sink, "connection lost: " + describe(cause));
              }
            });
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
    acknowledge(owner, connection, delivery);
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
    connector.execute(
        () -> {
          if (generation.get() != connection) {
            return;
          }
          try {
            owner.unsubscribe(delivery.topic());
          } catch (Exception e) {
            log.warn(
                "Line {}: could not unsubscribe from {}: {}",
                config.line(),
                delivery.topic(),
                describe(e));
          }
        });
  }

  private BatchAcknowledgment acknowledgment(
      Consumer<BatchSignal> sink,
      MqttSession owner,
      int connection,
      MqttSession.Delivery delivery) {
    return new BatchAcknowledgment() {
      @Override
      public void committed(Optional<String> lot) {
        acknowledge(owner, connection, delivery);
      }

      /** The broker redelivers unacknowledged messages only on a new connection: make one. */
      @Override
      public void failed(Throwable cause) {
        connector.execute(
            () -> {
              if (generation.get() == connection && !closed) {
                scheduleReconnect(
                    sink,
                    "message "
                        + delivery.messageId()
                        + " could not be stored ("
                        + describe(cause)
                        + "); reconnecting to have it redelivered");
              }
            });
      }
    };
  }

  /**
   * A PUBACK belongs to the connection that received the message: after a reconnect the same
   * message id may name another, uncommitted message. The broker redelivers the old one instead.
   */
  private void acknowledge(MqttSession owner, int connection, MqttSession.Delivery delivery) {
    if (generation.get() != connection) {
      return;
    }
    try {
      owner.acknowledge(delivery);
    } catch (Exception e) {
      log.debug(
          "Line {}: PUBACK for message {} not sent ({}); the broker will redeliver it",
          config.line(),
          delivery.messageId(),
          describe(e));
    }
  }

  private void scheduleReconnect(Consumer<BatchSignal> sink, String why) {
    if (closed) {
      return;
    }
    failedAttempts++;
    long delay = config.reconnect().delay(failedAttempts).toMillis();
    setStatus(State.DOWN, why + "; retrying in " + delay + " ms");
    log.warn("Line {}: {}; retrying in {} ms", config.line(), why, delay);
    connector.schedule(() -> connect(sink), delay, TimeUnit.MILLISECONDS);
  }

  private void setStatus(State state, String detail) {
    status = new ConnectorStatus(name(), state, detail, Instant.now(), reconnects);
  }

  private void closeSession() {
    if (session != null) {
      session.close();
      session = null;
    }
  }

  private static String describe(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return root == e
        ? message
        : message + " (" + root.getClass().getSimpleName() + ": " + root.getMessage() + ")";
  }

  @Override
  public void close() {
    closed = true;
    connector.execute(
        () -> {
          generation.incrementAndGet();
          closeSession();
          setStatus(State.STOPPED, "stopped");
        });
    ConnectorThread.stop(connector);
  }
}
