package dev.linegate.simulator.kafka;

import dev.linegate.simulator.CtrlC;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
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
        broker.follow(topic, record -> LOG.info("kafka {}", record));
      }
      ctrlC.await();
    }
    return 0;
  }
}
