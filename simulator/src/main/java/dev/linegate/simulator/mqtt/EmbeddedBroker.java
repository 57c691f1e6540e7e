package dev.linegate.simulator.mqtt;

import io.moquette.BrokerConstants;
import io.moquette.broker.Server;
import io.moquette.broker.config.MemoryConfig;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;

/**
 * An MQTT 3.1.1 broker (Moquette) in this process. Sessions of disconnected clients that connected
 * with cleanSession=false are kept, with their QoS 1 messages queued, for as long as it runs: all
 * state is in memory.
 */
public final class EmbeddedBroker implements AutoCloseable {
  /**
   * Moquette routes every publish through per-session-loop command queues of this length (default
   * 1024). When one is full the publish is dropped without a PUBACK, and Paho will not resend it
   * until it reconnects: the queues must hold all that fast publishers can have in flight.
   */
  static final int SESSION_QUEUE_SIZE = 8 * MqttPlc.MAX_IN_FLIGHT;

  private static final int FREE_PORT_ATTEMPTS = 3;

  private final Server server;
  private final SubscriptionWatch subscriptions;
  private final String host;
  private final int port;

  private EmbeddedBroker(Server server, SubscriptionWatch subscriptions, String host, int port) {
    this.server = server;
    this.subscriptions = subscriptions;
    this.host = host;
    this.port = port;
  }

  /** Starts listening on {@code host}:{@code port}; port 0 picks a free port. */
  public static EmbeddedBroker start(String host, int port) throws IOException {
    if (port != 0) {
      return startOn(host, port);
    }
    // Moquette's own record of the port it bound is written by a Netty thread after startServer
    // returns, into a plain HashMap that getPort() modifies: reading it races. So pick the port
    // here, and try again if someone else took it in the meantime.
    for (int attempt = 1; ; attempt++) {
      try {
        return startOn(host, freePort(host));
      } catch (RuntimeException e) {
        if (attempt == FREE_PORT_ATTEMPTS || !(e.getCause() instanceof BindException)) {
          throw e;
        }
      }
    }
  }

  private static EmbeddedBroker startOn(String host, int port) throws IOException {
    var server = new Server();
    var subscriptions = new SubscriptionWatch();
    try {
      server.startServer(config(host, port), List.of(subscriptions));
      return new EmbeddedBroker(server, subscriptions, host, port);
    } catch (IOException | RuntimeException e) {
      try {
        server.stopServer();
      } catch (RuntimeException halfStarted) {
        e.addSuppressed(halfStarted);
      }
      throw e;
    }
  }

  private static int freePort(String host) throws IOException {
    try (var socket = new ServerSocket(0, 1, InetAddress.getByName(host))) {
      return socket.getLocalPort();
    }
  }

  private static MemoryConfig config(String host, int port) {
    var properties = new Properties();
    properties.setProperty(BrokerConstants.HOST_PROPERTY_NAME, host);
    properties.setProperty(BrokerConstants.PORT_PROPERTY_NAME, Integer.toString(port));
    properties.setProperty(BrokerConstants.ALLOW_ANONYMOUS_PROPERTY_NAME, "true");
    // Moquette reports to its project over the internet unless told not to.
    properties.setProperty(BrokerConstants.ENABLE_TELEMETRY_NAME, "false");
    // Otherwise it writes an H2 store under ./data of the working directory.
    properties.setProperty(BrokerConstants.PERSISTENCE_ENABLED_PROPERTY_NAME, "false");
    properties.setProperty(
        BrokerConstants.SESSION_QUEUE_SIZE, Integer.toString(SESSION_QUEUE_SIZE));
    return new MemoryConfig(properties);
  }

  public int port() {
    return port;
  }

  /** Where clients connect, e.g. {@code tcp://127.0.0.1:1883}. */
  public String url() {
    boolean anyAddress = host.equals("0.0.0.0") || host.equals("::");
    return "tcp://" + (anyAddress ? "127.0.0.1" : host) + ":" + port();
  }

  /**
   * Completes once a client has subscribed to a filter matching {@code topic} since the broker
   * started (a persistent session keeps its subscriptions across reconnects).
   */
  public CompletableFuture<String> subscribed(String topic) {
    return subscriptions.subscribed(topic);
  }

  /**
   * Whether the broker holds a connection of {@code clientId}. A client's DISCONNECT is done for
   * the client before the broker has handled it; a QoS 1 message routed to the closing connection
   * meanwhile is lost, as Moquette does not send it again (README, "Broker notes").
   */
  public boolean connected(String clientId) {
    return server.listConnectedClients().stream().anyMatch(c -> c.getClientID().equals(clientId));
  }

  @Override
  public void close() {
    server.stopServer();
  }
}
