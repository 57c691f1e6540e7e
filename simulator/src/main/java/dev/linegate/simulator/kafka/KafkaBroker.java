package dev.linegate.simulator.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.linegate.simulator.FreePort;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A real Kafka broker, single node in KRaft mode (broker and controller in one), run in this JVM
 * from Kafka's own jars: what the gateway's {@code erp.kafka} output talks to in the demo and the
 * tests, with the broker's own acknowledgments, partitions and idempotence checks rather than an
 * imitation of them. Closed and started again on the same directory and port, it keeps its topics
 * and records (a broker outage in a test).
 */
public final class KafkaBroker implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final KafkaRaftServer server;
  private final String host;
  private final int port;
  private final Path dataDir;

  private KafkaBroker(KafkaRaftServer server, String host, int port, Path dataDir) {
    this.server = server;
    this.host = host;
    this.port = port;
    this.dataDir = dataDir;
  }

  /**
   * Starts the broker on {@code host:port} (0: a free port) with its log in {@code dataDir}
   * (formatted the first time), and returns when it answers clients.
   */
  public static KafkaBroker start(Path dataDir, String host, int port) throws Exception {
    int clientPort = port == 0 ? FreePort.pick() : port;
    Path logs = Files.createDirectories(dataDir.resolve("logs"));
    Path controllerPortFile = dataDir.resolve("controller.port");
    // The controller keeps its port across restarts: it is written in the quorum's own records.
    int controllerPort =
        Files.exists(controllerPortFile)
            ? Integer.parseInt(Files.readString(controllerPortFile).trim())
            : FreePort.pick();
    Files.writeString(controllerPortFile, Integer.toString(controllerPort));
    Properties properties = new Properties();
    properties.putAll(
        Map.ofEntries(
            Map.entry("process.roles", "broker,controller"),
            Map.entry("node.id", "1"),
            Map.entry("controller.quorum.voters", "1@" + host + ":" + controllerPort),
            Map.entry(
                "listeners",
                "PLAINTEXT://"
                    + host
                    + ":"
                    + clientPort
                    + ",CONTROLLER://"
                    + host
                    + ":"
                    + controllerPort),
            Map.entry("advertised.listeners", "PLAINTEXT://" + host + ":" + clientPort),
            Map.entry("controller.listener.names", "CONTROLLER"),
            Map.entry("inter.broker.listener.name", "PLAINTEXT"),
            Map.entry("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT"),
            Map.entry("log.dirs", logs.toString()),
            Map.entry("num.partitions", "3"),
            Map.entry("auto.create.topics.enable", "true"),
            Map.entry("offsets.topic.replication.factor", "1"),
            Map.entry("offsets.topic.num.partitions", "3"),
            Map.entry("transaction.state.log.replication.factor", "1"),
            Map.entry("transaction.state.log.min.isr", "1"),
            Map.entry("min.insync.replicas", "1"),
            Map.entry("group.initial.rebalance.delay.ms", "0"),
            Map.entry("log.flush.interval.messages", Long.toString(Long.MAX_VALUE)),
            Map.entry("controlled.shutdown.enable", "false"),
            // Started again, the broker is refused by its own controller until the registration of
            // its last run has expired: with the default 9 s session that was 13 s of a restart.
            Map.entry("broker.heartbeat.interval.ms", "500"),
            Map.entry("broker.session.timeout.ms", "3000")));
    KafkaConfig config = KafkaConfig.fromProps(properties, false);
    if (!Files.exists(logs.resolve("meta.properties"))) {
      new Formatter()
          .setPrintStream(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()))
          .setNodeId(1)
          .setClusterId(Uuid.randomUuid().toString())
          .addDirectory(logs.toString())
          .setMetadataLogDirectory(logs.toString())
          .setControllerListenerName("CONTROLLER")
          .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
          .run();
    }
    KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
    server.startup();
    KafkaBroker broker = new KafkaBroker(server, host, clientPort, dataDir);
    try {
      broker.awaitClients();
    } catch (Exception | Error e) {
      broker.close();
      throw e;
    }
    return broker;
  }

  private void awaitClients() throws Exception {
    Properties admin = new Properties();
    admin.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
    try (Admin client = Admin.create(admin)) {
      client.describeCluster().nodes().get(60, TimeUnit.SECONDS);
    }
  }

  /** {@code host:port}, as a client's {@code bootstrap.servers}. */
  public String bootstrap() {
    return host + ":" + port;
  }

  public int port() {
    return port;
  }

  public Path dataDir() {
    return dataDir;
  }

  /**
   * Reads {@code topic} from its start on a daemon thread and hands each record, summed up (where,
   * key, CloudEvents type and id), to {@code each}: what {@code kafka --follow} and the demo show.
   */
  public void follow(String topic, Consumer<String> each) {
    Properties properties = new Properties();
    properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
    properties.put(
        ConsumerConfig.GROUP_ID_CONFIG, "linegate-simulator-follow-" + UUID.randomUUID());
    properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    Thread reader =
        new Thread(
            () -> {
              try (KafkaConsumer<String, String> consumer =
                  new KafkaConsumer<>(
                      properties, new StringDeserializer(), new StringDeserializer())) {
                consumer.subscribe(List.of(topic));
                while (!Thread.currentThread().isInterrupted()) {
                  consumer.poll(Duration.ofSeconds(1)).forEach(r -> each.accept(describe(r)));
                }
              } catch (InterruptException | WakeupException e) {
                // stopping
              }
            },
            "kafka-follow");
    reader.setDaemon(true);
    reader.start();
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

  @Override
  public void close() {
    try {
      server.shutdown();
      server.awaitShutdown();
    } catch (RuntimeException e) {
      throw new UncheckedIOException(new IOException("the Kafka broker did not stop cleanly", e));
    }
  }
}
