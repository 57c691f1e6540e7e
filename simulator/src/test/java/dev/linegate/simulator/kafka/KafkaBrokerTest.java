package dev.linegate.simulator.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The simulator's broker takes an idempotent producer's records and keeps them over a restart. */
class KafkaBrokerTest {

  @TempDir Path dir;

  @Test
  void recordsAreAcknowledgedReadBackInOrderAndKeptAcrossARestartOnTheSamePort() throws Exception {
    int port;
    try (KafkaBroker broker = KafkaBroker.start(dir, "127.0.0.1", 0)) {
      port = broker.port();
      produce(broker.bootstrap(), 0, 100);
      assertThat(consume(broker.bootstrap(), 100)).isEqualTo(values(0, 100));
    }
    try (KafkaBroker again = KafkaBroker.start(dir, "127.0.0.1", port)) {
      assertThat(again.bootstrap()).isEqualTo("127.0.0.1:" + port);
      produce(again.bootstrap(), 100, 101);
      assertThat(consume(again.bootstrap(), 101)).isEqualTo(values(0, 101));
    }
  }

  private static void produce(String bootstrap, int from, int to) throws Exception {
    Properties properties = new Properties();
    properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    properties.put(ProducerConfig.ACKS_CONFIG, "all");
    properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(properties, new StringSerializer(), new StringSerializer())) {
      for (int i = from; i < to; i++) {
        // One key: one partition, so the order read back is the order sent.
        producer.send(new ProducerRecord<>("t", "lot-1", "v" + i)).get(30, TimeUnit.SECONDS);
      }
    }
  }

  private static List<String> consume(String bootstrap, int expected) {
    Properties properties = new Properties();
    properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    properties.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + System.nanoTime());
    properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    List<String> read = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(properties, new StringDeserializer(), new StringDeserializer())) {
      consumer.subscribe(List.of("t"));
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> read.add(r.value()));
                return read.size() >= expected;
              });
    }
    return read;
  }

  private static List<String> values(int from, int to) {
    List<String> values = new ArrayList<>();
    for (int i = from; i < to; i++) {
      values.add("v" + i);
    }
    return values;
  }
}
