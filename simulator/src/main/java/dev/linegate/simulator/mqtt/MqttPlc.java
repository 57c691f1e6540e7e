package dev.linegate.simulator.mqtt;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.linegate.simulator.BatchIds;
import dev.linegate.simulator.BatchPublisher;
import dev.linegate.simulator.Signalled;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallbackExtended;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A simulated PLC that signals completed batches over MQTT 3.1.1 at QoS 1, one topic per line. A
 * publish's future completes when the broker has acknowledged it (PUBACK).
 *
 * <p>{@code publish} blocks while {@link #MAX_IN_FLIGHT} publishes await their PUBACK: that is the
 * back pressure of a fast generator. Do not call it from a completion callback.
 */
public final class MqttPlc implements BatchPublisher, AutoCloseable {
  public static final String DEFAULT_TOPIC = "plant/{line}/batch-complete";

  /** Far above Paho's default of 10, so a fast generator is paced by the broker, not by Paho. */
  public static final int MAX_IN_FLIGHT = 10_000;

  private static final Logger LOG = LoggerFactory.getLogger(MqttPlc.class);
  private static final long CONNECT_TIMEOUT_MS = 10_000;
  private static final long QUIESCE_MS = 1_000;
  private static final long RETRY_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

  private final MqttAsyncClient client;
  private final String topicPattern;
  private final BatchIds ids;
  private final Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);

  private MqttPlc(MqttAsyncClient client, String topicPattern, BatchIds ids) {
    this.client = client;
    this.topicPattern = topicPattern;
    this.ids = ids;
  }

  /**
   * Connects to {@code brokerUrl} (e.g. {@code tcp://127.0.0.1:1883}); {@code topicPattern} holds
   * {@code {line}}, e.g. {@link #DEFAULT_TOPIC}.
   */
  public static MqttPlc connect(String brokerUrl, String topicPattern) throws MqttException {
    var ids = new BatchIds();
    var client =
        new MqttAsyncClient(brokerUrl, "linegate-sim-plc-" + ids.runId(), new MemoryPersistence());
    client.setCallback(new ConnectionLog(brokerUrl));
    var options = new MqttConnectOptions();
    options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
    // A persistent session lets Paho resend unacknowledged publishes after a reconnect.
    options.setCleanSession(false);
    options.setAutomaticReconnect(true);
    options.setMaxReconnectDelay(5_000);
    options.setMaxInflight(MAX_IN_FLIGHT);
    try {
      client.connect(options).waitForCompletion(CONNECT_TIMEOUT_MS);
    } catch (MqttException e) {
      client.close(true);
      throw e;
    }
    return new MqttPlc(client, topicPattern, ids);
  }

  /** Identifies this connection; part of every generated batch id. */
  public String runId() {
    return ids.runId();
  }

  public String topic(String line) {
    return topicPattern.replace("{line}", line);
  }

  /** A batch id unique to this run: {@code <line>-<runId>-<counter>}. */
  @Override
  public String nextBatchId(String line) {
    return ids.next(line);
  }

  @Override
  public String destination(String line) {
    return topic(line);
  }

  /** Publishes {@code batch}; acknowledged on its PUBACK. */
  @Override
  public CompletableFuture<Signalled> signal(BatchMessage batch) {
    return timed(batch.line(), batch.toJson());
  }

  @Override
  public CompletableFuture<Signalled> signalMalformed(String line, String payload) {
    return timed(line, payload);
  }

  /** Publishes a batch completed now. */
  public CompletableFuture<BatchMessage> publish(
      String line, String batchId, String product, int quantity) {
    return publish(BatchMessage.completedNow(line, batchId, product, quantity));
  }

  /** Publishes {@code batch} on its line's topic; publishing it again sends the same bytes. */
  public CompletableFuture<BatchMessage> publish(BatchMessage batch) {
    return send(topic(batch.line()), batch.toJson()).thenApply(acked -> batch);
  }

  /** Publishes any payload on the line's topic, e.g. a malformed one. */
  public CompletableFuture<Void> publishRaw(String line, String payload) {
    return send(topic(line), payload);
  }

  /** Waits until every publish so far has its PUBACK (or failed); false on timeout. */
  @Override
  public boolean awaitAcks(Duration timeout) throws InterruptedException {
    if (!inFlight.tryAcquire(MAX_IN_FLIGHT, timeout.toNanos(), TimeUnit.NANOSECONDS)) {
      return false;
    }
    inFlight.release(MAX_IN_FLIGHT);
    return true;
  }

  @Override
  public void close() {
    try {
      if (client.isConnected()) {
        client.disconnect(QUIESCE_MS).waitForCompletion(CONNECT_TIMEOUT_MS);
      }
    } catch (MqttException e) {
      LOG.debug("disconnect from {} failed", client.getServerURI(), e);
    }
    try {
      client.close(true);
    } catch (MqttException e) {
      LOG.debug("closing the MQTT client failed", e);
    }
  }

  private CompletableFuture<Signalled> timed(String line, String payload) {
    long nanos = System.nanoTime();
    var at = Instant.now().truncatedTo(ChronoUnit.MICROS);
    return send(topic(line), payload)
        .thenApply(acked -> new Signalled(nanos, at, System.nanoTime()));
  }

  private CompletableFuture<Void> send(String topic, String payload) {
    var acked = new CompletableFuture<Void>();
    var message = new MqttMessage(payload.getBytes(UTF_8));
    message.setQos(1);
    inFlight.acquireUninterruptibly();
    while (true) {
      try {
        client.publish(topic, message, null, new AckListener(acked, inFlight));
        return acked;
      } catch (MqttException e) {
        if (e.getReasonCode() != MqttException.REASON_CODE_MAX_INFLIGHT) {
          inFlight.release();
          acked.completeExceptionally(e);
          return acked;
        }
        // 32202: Paho frees an in-flight slot a little after the PUBACK callback; wait for it.
        LockSupport.parkNanos(RETRY_PAUSE_NANOS);
      }
    }
  }

  /**
   * Completes the publish, then frees its slot: whoever has awaited all acks (see {@link
   * #awaitAcks}) then also sees the callbacks of every publish done.
   */
  private record AckListener(CompletableFuture<Void> acked, Semaphore inFlight)
      implements IMqttActionListener {
    @Override
    public void onSuccess(IMqttToken token) {
      acked.complete(null);
      inFlight.release();
    }

    @Override
    public void onFailure(IMqttToken token, Throwable error) {
      acked.completeExceptionally(error);
      inFlight.release();
    }
  }

  private record ConnectionLog(String brokerUrl) implements MqttCallbackExtended {
    @Override
    public void connectComplete(boolean reconnect, String serverUri) {
      if (reconnect) {
        LOG.info("reconnected to {}", serverUri);
      }
    }

    @Override
    public void connectionLost(Throwable cause) {
      LOG.warn("connection to {} lost ({}), reconnecting", brokerUrl, cause.toString());
    }

    @Override
    public void messageArrived(String topic, MqttMessage message) {}

    @Override
    public void deliveryComplete(IMqttDeliveryToken token) {}
  }
}
