package dev.linegate.connectors.opcua;

import dev.linegate.connectors.Backoff;
import dev.linegate.connectors.Secret;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.milo.opcua.stack.core.types.builtin.ExpandedNodeId;

/**
 * One line's OPC UA handshake (SPEC section 2, {@code lines[].source.opcua}). Lines whose {@link
 * #endpointConfig()} is equal share one client session.
 *
 * @param endpoint e.g. {@code opc.tcp://127.0.0.1:4840}
 * @param username empty for an anonymous session
 * @param pkiDir the client's certificate lives in {@code own/}; server certificates are trusted in
 *     {@code trusted/certs} and land in {@code rejected/certs} until they are
 * @param trustAllCertificates accept any server certificate: development only
 * @param reconnect delays between connection attempts, and before a failed batch is tried again
 * @param publishingInterval of the subscription to {@code ready}, and its sampling interval
 * @param watchdogTimeout a subscription silent for this long (no data, no keep-alive) is rebuilt
 */
public record OpcUaSourceConfig(
    String line,
    String endpoint,
    Policy policy,
    Mode mode,
    Nodes nodes,
    String username,
    Secret password,
    Path pkiDir,
    boolean trustAllCertificates,
    Backoff reconnect,
    Duration publishingInterval,
    Duration watchdogTimeout) {

  public static final Backoff DEFAULT_RECONNECT =
      new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30));
  public static final Duration DEFAULT_PUBLISHING_INTERVAL = Duration.ofMillis(100);
  public static final Duration DEFAULT_WATCHDOG_TIMEOUT = Duration.ofSeconds(10);

  /** The security policies the gateway speaks (SPEC: {@code security.policy}). */
  public enum Policy {
    None,
    Basic256Sha256,
    Aes128_Sha256_RsaOaep
  }

  /** SPEC: {@code security.mode}. */
  public enum Mode {
    None,
    Sign,
    SignAndEncrypt
  }

  /**
   * The handshake's node ids in any syntax: {@code ns=2;s=...}, {@code nsu=<uri>;s=...}, {@code
   * ns=2;i=...}. {@code nsu=} is resolved against the server's namespace table on every connect.
   */
  public record Nodes(
      String ready,
      String batchId,
      String product,
      String quantity,
      Optional<String> lot,
      String ack) {
    public Nodes {
      List<String> errors = new ArrayList<>();
      check(errors, "ready", ready);
      check(errors, "batchId", batchId);
      check(errors, "product", product);
      check(errors, "quantity", quantity);
      lot.ifPresent(id -> check(errors, "lot", id));
      check(errors, "ack", ack);
      if (!errors.isEmpty()) {
        throw new IllegalArgumentException(String.join("; ", errors));
      }
    }

    /** {@code ns=2;s=<line>.Batch.Ready} and so on: the simulator's (and many PLCs') layout. */
    public static Nodes conventional(String namespace, String line) {
      String prefix = namespace + ";s=" + line + ".Batch.";
      return new Nodes(
          prefix + "Ready",
          prefix + "Id",
          prefix + "Product",
          prefix + "Quantity",
          Optional.of(prefix + "Lot"),
          prefix + "Ack");
    }

    private static void check(List<String> errors, String key, String nodeId) {
      try {
        ExpandedNodeId.parse(nodeId);
      } catch (RuntimeException e) {
        errors.add(
            "nodes."
                + key
                + ": \""
                + nodeId
                + "\" is not a node id (e.g. ns=2;s=L1.Batch.Ready, nsu=urn:plc;s=Ready, ns=3;i=1001)");
      }
    }
  }

  public OpcUaSourceConfig {
    List<String> errors = new ArrayList<>();
    if (!endpoint.startsWith("opc.tcp://")) {
      errors.add("endpoint: must start with opc.tcp://, not \"" + endpoint + "\"");
    }
    if ((policy == Policy.None) != (mode == Mode.None)) {
      errors.add(
          "security: policy "
              + policy
              + " does not go with mode "
              + mode
              + " (None goes with None; a policy needs Sign or SignAndEncrypt)");
    }
    if (username.isEmpty() && !password.isEmpty()) {
      errors.add("password: given without a username");
    }
    if (publishingInterval.isNegative() || publishingInterval.isZero()) {
      errors.add("publishingInterval: must be above 0");
    }
    if (watchdogTimeout.compareTo(publishingInterval.multipliedBy(3)) < 0) {
      errors.add("watchdogTimeout: must be at least 3 publishing intervals");
    }
    if (!errors.isEmpty()) {
      throw new IllegalArgumentException("line " + line + ": " + String.join("; ", errors));
    }
  }

  /** Anonymous, no security, default timings: the development set-up. */
  public static OpcUaSourceConfig insecure(String line, String endpoint, Nodes nodes, Path pkiDir) {
    return new OpcUaSourceConfig(
        line,
        endpoint,
        Policy.None,
        Mode.None,
        nodes,
        "",
        new Secret(""),
        pkiDir,
        false,
        DEFAULT_RECONNECT,
        DEFAULT_PUBLISHING_INTERVAL,
        DEFAULT_WATCHDOG_TIMEOUT);
  }

  public OpcUaSourceConfig withSecurity(Policy newPolicy, Mode newMode) {
    return new OpcUaSourceConfig(
        line,
        endpoint,
        newPolicy,
        newMode,
        nodes,
        username,
        password,
        pkiDir,
        trustAllCertificates,
        reconnect,
        publishingInterval,
        watchdogTimeout);
  }

  public OpcUaSourceConfig withUser(String newUsername, Secret newPassword) {
    return new OpcUaSourceConfig(
        line,
        endpoint,
        policy,
        mode,
        nodes,
        newUsername,
        newPassword,
        pkiDir,
        trustAllCertificates,
        reconnect,
        publishingInterval,
        watchdogTimeout);
  }

  public OpcUaSourceConfig withTiming(
      Backoff newReconnect, Duration newPublishingInterval, Duration newWatchdogTimeout) {
    return new OpcUaSourceConfig(
        line,
        endpoint,
        policy,
        mode,
        nodes,
        username,
        password,
        pkiDir,
        trustAllCertificates,
        newReconnect,
        newPublishingInterval,
        newWatchdogTimeout);
  }

  /** What the line's client session depends on; lines with equal ones share a session. */
  public OpcUaEndpointConfig endpointConfig() {
    return new OpcUaEndpointConfig(
        endpoint,
        policy,
        mode,
        username,
        password,
        pkiDir.toAbsolutePath().normalize(),
        trustAllCertificates,
        reconnect);
  }
}
