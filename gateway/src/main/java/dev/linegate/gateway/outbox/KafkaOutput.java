package dev.linegate.gateway.outbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.linegate.gateway.config.ConfigException;
import dev.linegate.gateway.config.KafkaConfig;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * {@code erp.kafka}: each event as one Kafka record in the CloudEvents Kafka binding, structured
 * mode (the value is the JSON event, header {@code content-type: application/cloudevents+json}),
 * keyed {@code {gateway}/{lot}} so that a lot's events share a partition and keep their order. The
 * producer is idempotent with {@code acks=all}: delivered means every in-sync replica has it.
 *
 * <p>No record is larger than the producer's {@code max.request.size}: a lot whose event is larger
 * is sent as parts, each a CloudEvent of its own with the id {@code {id}-part-{k}-of-{n}}, the
 * extensions {@code partof} (the event's id), {@code part} and {@code parts}, and the same data but
 * a slice of the serials, in order. The parts are cut the same way at every retry, so their ids are
 * stable and a consumer de-duplicates them like any event.
 */
public final class KafkaOutput implements Output {

  static final String CONTENT_TYPE = "application/cloudevents+json";

  /** Room in a request for the key, the header and Kafka's own framing around one record. */
  private static final int FRAMING_BYTES = 1_024;

  private static final ObjectMapper JSON = new ObjectMapper();

  private final KafkaProducer<String, byte[]> producer;
  private final KafkaConfig config;
  private final String gatewayId;
  private final long timeoutMs;

  private KafkaOutput(
      KafkaProducer<String, byte[]> producer, KafkaConfig config, String gatewayId) {
    this.producer = producer;
    this.config = config;
    this.gatewayId = gatewayId;
    this.timeoutMs =
        Long.parseLong(
                String.valueOf(
                    producerProperties(config).get(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG)))
            + 5_000;
  }

  /** The producer; it connects when the first event is sent. */
  public static KafkaOutput start(KafkaConfig config, String gatewayId) throws ConfigException {
    try {
      return new KafkaOutput(
          new KafkaProducer<>(
              producerProperties(config), new StringSerializer(), new ByteArraySerializer()),
          config,
          gatewayId);
    } catch (KafkaException e) {
      // The client names the property it could not use; the values may be credentials.
      throw new ConfigException(
          List.of(
              "erp.kafka: the Kafka producer cannot start: "
                  + (e.getCause() == null ? e.getMessage() : e.getCause().getMessage())));
    }
  }

  /**
   * The user's properties over the gateway's defaults for a gateway (short waits, so that an outage
   * shows within seconds and the outbox, not the client, keeps the backlog), then the gateway's own
   * settings, which the configuration does not let a user change.
   */
  static Properties producerProperties(KafkaConfig config) {
    Properties properties = new Properties();
    properties.put(ProducerConfig.CLIENT_ID_CONFIG, "linegate");
    properties.put(ProducerConfig.LINGER_MS_CONFIG, "5");
    properties.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "10000");
    // A cluster that is away shows as DOWN within about 10 s, as a refused HTTP connection does at
    // once; the outbox, not the client, then keeps the backlog and probes.
    properties.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
    properties.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "10000");
    properties.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "2000");
    config.properties().forEach((name, value) -> properties.put(name, value.value()));
    properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrap());
    properties.put(ProducerConfig.ACKS_CONFIG, "all");
    properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    return properties;
  }

  @Override
  public String name() {
    return "kafka";
  }

  @Override
  public String title() {
    return "Kafka";
  }

  @Override
  public String check() {
    return "kafka";
  }

  @Override
  public int concurrency() {
    return config.concurrency();
  }

  @Override
  public DeliveryResult deliver(String eventId, String type, String subject, String payload) {
    String key = gatewayId + "/" + subject;
    List<byte[]> records;
    try {
      records = records(payload, config.maxRequestBytes() - FRAMING_BYTES - key.length());
    } catch (TooLarge e) {
      return new DeliveryResult.Dead(e.getMessage());
    }
    List<Future<RecordMetadata>> sent = new ArrayList<>(records.size());
    try {
      for (byte[] value : records) {
        ProducerRecord<String, byte[]> record =
            new ProducerRecord<>(config.topic(), null, key, value);
        record.headers().add("content-type", CONTENT_TYPE.getBytes(StandardCharsets.US_ASCII));
        sent.add(producer.send(record));
      }
      for (Future<RecordMetadata> acknowledged : sent) {
        acknowledged.get(timeoutMs, TimeUnit.MILLISECONDS);
      }
      return new DeliveryResult.Delivered();
    } catch (ExecutionException e) {
      return result(e.getCause());
    } catch (KafkaException e) {
      return result(e);
    } catch (TimeoutException e) {
      return new DeliveryResult.Retry("Kafka did not acknowledge within " + timeoutMs + " ms");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new DeliveryResult.Retry("interrupted while waiting for Kafka");
    }
  }

  /**
   * What a failure means: a refused login or ACL stops every event alike, so it pauses the output
   * (an alarm in {@code /health}) as a refused HTTP credential does; what the client retries itself
   * (the broker away, no leader, too few in-sync replicas) is tried again; the rest is about this
   * event and makes it a dead letter.
   */
  private static DeliveryResult result(Throwable failure) {
    String reason = failure.getClass().getSimpleName() + ": " + failure.getMessage();
    if (failure instanceof AuthenticationException || failure instanceof AuthorizationException) {
      return new DeliveryResult.Retry(
          reason + " (the gateway's credentials or ACLs: erp.kafka.properties)");
    }
    if (failure instanceof RetriableException
        || failure instanceof org.apache.kafka.common.errors.TimeoutException
        || !(failure instanceof KafkaException)) {
      return new DeliveryResult.Retry(reason);
    }
    return new DeliveryResult.Dead(reason);
  }

  /** An event larger than a record may be that has no serials to split. */
  static final class TooLarge extends Exception {
    TooLarge(String message) {
      super(message);
    }
  }

  /** The event as one record's value, or as parts of at most {@code limit} bytes each. */
  static List<byte[]> records(String payload, int limit) throws TooLarge {
    byte[] whole = payload.getBytes(StandardCharsets.UTF_8);
    if (whole.length <= limit) {
      return List.of(whole);
    }
    ObjectNode event;
    try {
      event = (ObjectNode) JSON.readTree(payload);
    } catch (Exception e) {
      throw new TooLarge("the event is not JSON: " + e.getMessage());
    }
    JsonNode serials = event.path("data").path("serials");
    if (!serials.isArray() || serials.size() < 2) {
      throw new TooLarge(
          "the event has "
              + whole.length
              + " bytes, more than a Kafka record may have ("
              + limit
              + " with max.request.size), and no serials to split it by");
    }
    String id = event.get("id").asText();
    int count = serials.size();
    int longest = 0;
    for (JsonNode serial : serials) {
      longest = Math.max(longest, serial.asText().getBytes(StandardCharsets.UTF_8).length);
    }
    // Each part: the event without its serials, the extensions, and as many serials (quoted, with
    // a comma) as fit.
    ((ObjectNode) event.get("data")).putArray("serials");
    int base = bytes(event) + id.length() * 2 + 100;
    int perPart = Math.max(1, (limit - base) / (longest + 3));
    int parts = (count + perPart - 1) / perPart;
    List<byte[]> records = new ArrayList<>(parts);
    for (int k = 0; k < parts; k++) {
      ObjectNode part = event.deepCopy();
      part.put("id", id + "-part-" + (k + 1) + "-of-" + parts);
      part.put("partof", id);
      part.put("part", k + 1);
      part.put("parts", parts);
      ArrayNode slice = ((ObjectNode) part.get("data")).putArray("serials");
      for (int i = k * perPart; i < Math.min(count, (k + 1) * perPart); i++) {
        slice.add(serials.get(i));
      }
      byte[] value = part.toString().getBytes(StandardCharsets.UTF_8);
      if (value.length > limit) {
        throw new TooLarge("a part of the event still has " + value.length + " bytes");
      }
      records.add(value);
    }
    return records;
  }

  private static int bytes(JsonNode node) {
    return node.toString().getBytes(StandardCharsets.UTF_8).length;
  }

  @Override
  public void close() {
    producer.close(java.time.Duration.ofSeconds(5));
  }
}
