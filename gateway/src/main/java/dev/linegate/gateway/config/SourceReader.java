package dev.linegate.gateway.config;

import dev.linegate.connectors.Secret;
import dev.linegate.connectors.mqtt.MqttSourceConfig;
import dev.linegate.connectors.opcua.OpcUaSourceConfig;
import dev.linegate.connectors.opcua.OpcUaSourceConfig.Mode;
import dev.linegate.connectors.opcua.OpcUaSourceConfig.Policy;
import dev.linegate.connectors.tls.TlsFiles;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reads a line's {@code source}: an MQTT topic or an OPC UA handshake (SPEC sections 2 and 3). */
final class SourceReader {

  private static final Logger log = LoggerFactory.getLogger(SourceReader.class);

  private SourceReader() {}

  static MqttSourceConfig mqtt(ConfigNode node, String line, String gatewayId) {
    node.allowOnly(Set.of("broker", "version", "topic", "clientId", "username", "password", "tls"));
    String broker = node.string("broker");
    if (broker != null && broker.contains("@")) {
      // Not echoed: what is before the @ is a user's name and password.
      node.problem(
          node.key("broker"),
          "must not carry credentials: give username and password (values from the environment,"
              + " e.g. password: ${MQTT_PASSWORD})");
    } else if (broker != null && !broker.matches("(tcp|ssl)://[^:/\\s]+:\\d{1,5}")) {
      node.problem(
          node.key("broker"),
          "must look like tcp://host:1883 or ssl://host:8883, not \"" + broker + "\"");
    }
    MqttSourceConfig.Version version =
        node.choice(
            "version",
            Map.of("3.1.1", MqttSourceConfig.Version.V3_1_1, "5", MqttSourceConfig.Version.V5),
            MqttSourceConfig.Version.V3_1_1);
    String topic = node.string("topic");
    if (topic != null && (topic.contains("+") || topic.contains("#"))) {
      node.problem(
          node.key("topic"),
          "must name one topic, without wildcards: a line's batches come on its own topic");
    }
    String clientId = node.string("clientId", "linegate-" + gatewayId + "-" + line);
    String username = node.string("username", "");
    Secret password = new Secret(node.string("password", ""));
    boolean encrypted = broker != null && broker.startsWith("ssl://");
    Optional<TlsFiles> tls = node.child("tls").flatMap(TlsReader::client);
    if (node.has("tls") && broker != null && !encrypted) {
      node.problem(node.key("tls"), "needs an ssl:// broker, not " + broker);
    }
    if (!password.isEmpty() && broker != null && !encrypted) {
      log.warn(
          "{}: the MQTT password of line {} crosses the network in clear over tcp://; use ssl://"
              + " (SPEC section 12)",
          node.key("password"),
          line);
    }
    return new MqttSourceConfig(
        line,
        broker,
        version,
        topic,
        clientId,
        username,
        password,
        tls,
        MqttSourceConfig.DEFAULT_RECONNECT);
  }

  /** The gateway's OPC UA certificate and trust lists live in {@code dataDir/pki}. */
  static OpcUaSourceConfig opcua(ConfigNode node, String line, Path dataDir) {
    node.allowOnly(
        Set.of(
            "endpoint",
            "security",
            "username",
            "password",
            "trustAllCertificates",
            "publishingIntervalMs",
            "watchdogTimeoutMs",
            "nodes"));
    String endpoint = node.string("endpoint");
    if (endpoint != null && !endpoint.matches("opc\\.tcp://[^:/\\s]+(:\\d{1,5})?(/\\S*)?")) {
      node.problem(
          node.key("endpoint"), "must look like opc.tcp://host:4840, not \"" + endpoint + "\"");
    }
    Policy policy = Policy.None;
    Mode mode = Mode.None;
    boolean passwordInClear = false;
    Optional<ConfigNode> security = node.child("security");
    if (security.isPresent()) {
      ConfigNode s = security.get();
      s.allowOnly(Set.of("policy", "mode", "allowPasswordWithoutEncryption"));
      policy = s.choice("policy", byName(Policy.values()), Policy.None);
      mode = s.choice("mode", byName(Mode.values()), Mode.None);
      passwordInClear =
          s.choice("allowPasswordWithoutEncryption", Map.of("true", true, "false", false), false);
      if ((policy == Policy.None) != (mode == Mode.None)) {
        s.problem(
            s.path(),
            "policy "
                + policy
                + " does not go with mode "
                + mode
                + " (None goes with None; "
                + "Basic256Sha256 and Aes128_Sha256_RsaOaep need Sign or SignAndEncrypt)");
      }
    }
    String username = node.string("username", "");
    String password = node.string("password", "");
    if (username.isEmpty() && !password.isEmpty()) {
      node.problem(node.key("password"), "is given without a username");
    }
    // Under a security policy the user token is encrypted with it, also in mode Sign; under
    // policy None the password goes as it is.
    if (!password.isEmpty() && policy == Policy.None && !passwordInClear) {
      node.problem(
          node.key("password"),
          "would cross the network in clear (security policy None): use a security policy such as"
              + " Basic256Sha256, or set security.allowPasswordWithoutEncryption: true where the"
              + " network is trusted");
    }
    boolean trustAll =
        node.choice("trustAllCertificates", Map.of("true", true, "false", false), false);
    int publishing =
        node.integer(
            "publishingIntervalMs",
            (int) OpcUaSourceConfig.DEFAULT_PUBLISHING_INTERVAL.toMillis(),
            10,
            60_000);
    int watchdog =
        node.integer(
            "watchdogTimeoutMs",
            (int) OpcUaSourceConfig.DEFAULT_WATCHDOG_TIMEOUT.toMillis(),
            100,
            600_000);
    if (watchdog < 3 * publishing) {
      node.problem(
          node.key("watchdogTimeoutMs"),
          "must be at least 3 publishing intervals (" + 3 * publishing + ")");
    }
    ConfigNode nodes = node.requiredChild("nodes");
    nodes.allowOnly(Set.of("ready", "batchId", "product", "quantity", "lot", "ack"));
    String ready = nodes.string("ready");
    String batchId = nodes.string("batchId");
    String product = nodes.string("product");
    String quantity = nodes.string("quantity");
    Optional<String> lot = nodes.optionalString("lot");
    String ack = nodes.string("ack");
    if (endpoint == null
        || ready == null
        || batchId == null
        || product == null
        || quantity == null
        || ack == null) {
      return null;
    }
    try {
      return new OpcUaSourceConfig(
          line,
          endpoint,
          policy,
          mode,
          new OpcUaSourceConfig.Nodes(ready, batchId, product, quantity, lot, ack),
          username,
          new Secret(password),
          dataDir.resolve("pki"),
          trustAll,
          OpcUaSourceConfig.DEFAULT_RECONNECT,
          Duration.ofMillis(publishing),
          Duration.ofMillis(watchdog));
    } catch (IllegalArgumentException e) {
      // The node ids are checked by Milo's own parser; its message names the key under nodes.
      node.problem(node.path(), e.getMessage().replaceFirst("^line [^:]*: ", ""));
      return null;
    }
  }

  private static <E extends Enum<E>> Map<String, E> byName(E[] values) {
    return Arrays.stream(values).collect(Collectors.toMap(Enum::name, Function.identity()));
  }
}
