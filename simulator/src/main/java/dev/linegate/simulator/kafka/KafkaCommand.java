package dev.linegate.simulator.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.linegate.simulator.CtrlC;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "kafka",
    mixinStandardHelpOptions = true,
    description = {
      "A real Kafka broker, single node in KRaft mode, from Kafka's own jars (erp.kafka's peer).",
      "With --follow it prints each record of the topic as it arrives."
    })
public final class KafkaCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaCommand.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  @Option(names = "--host", defaultValue = "127.0.0.1", description = "Default: ${DEFAULT-VALUE}.")
  String host;

  @Option(names = "--port", defaultValue = "9092", description = "Default: ${DEFAULT-VALUE}.")
  int port;

  @Option(
      names = "--data",
      description = "The broker's directory, kept across runs (default: a new temporary one).")
  Path data;

  @Option(
      names = "--topic",
      defaultValue = "linegate.events",
      description = "The topic --follow reads (default: ${DEFAULT-VALUE}).")
  String topic;

  @Option(names = "--follow", description = "Print each record of --topic.")
  boolean follow;

  @Override
  public Integer call() throws Exception {
    Path dir = data != null ? data : Files.createTempDirectory("linegate-kafka");
    try (var ctrlC = CtrlC.install();
        var broker = KafkaBroker.start(dir, host, port)) {
      LOG.info("Kafka broker (KRaft) on {}, data in {}; Ctrl-C stops it", broker.bootstrap(), dir);
      if (follow) {
        Thread reader = new Thread(() -> follow(broker.bootstrap()), "kafka-follow");
        reader.setDaemon(true);
        reader.start();
      }
      ctrlC.await();
    }
    return 0;
  }

  private void follow(String bootstrap) {
    Properties properties = new Properties();
    properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    properties.put(ConsumerConfig.GROUP_ID_CONFIG, "linegate-simulator-follow");
    properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(properties, new StringDeserializer(), new StringDeserializer())) {
      consumer.subscribe(List.of(topic));
      while (!Thread.currentThread().isInterrupted()) {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofSeconds(1))) {
          LOG.info("kafka {}", describe(record));
        }
      }
    }
  }

  static String describe(ConsumerRecord<String, String> record) {
    String where =
        record.topic() + "/" + record.partition() + "@" + record.offset() + " key=" + record.key();
    try {
      JsonNode event = JSON.readTree(record.value());
      return where + " type=" + event.path("type").asText() + " id=" + event.path("id").asText();
    } catch (Exception e) {
      String value = record.value() == null ? "" : record.value();
      return where + " value=" + value.substring(0, Math.min(80, value.length()));
    }
  }
}
