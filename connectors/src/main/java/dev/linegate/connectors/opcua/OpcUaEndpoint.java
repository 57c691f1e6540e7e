package dev.linegate.connectors.opcua;

import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;

import dev.linegate.connectors.Connection;
import dev.linegate.connectors.ConnectorStatus;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.sdk.client.SessionActivityListener;
import org.eclipse.milo.opcua.sdk.client.UaSession;
import org.eclipse.milo.opcua.sdk.client.identity.AnonymousProvider;
import org.eclipse.milo.opcua.sdk.client.identity.UsernameProvider;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.enumerated.MessageSecurityMode;
import org.eclipse.milo.opcua.stack.core.types.enumerated.UserTokenType;
import org.eclipse.milo.opcua.stack.core.types.structured.EndpointDescription;
import org.eclipse.milo.opcua.stack.core.types.structured.UserTokenPolicy;
import org.eclipse.milo.opcua.stack.core.util.EndpointUtil;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client session to one OPC UA server, shared by the lines configured on it. Connects with
 * backoff from the first attempt on, and after a loss starts over with a fresh client: a fresh
 * session, fresh subscriptions, the handshake read again by every line. (Milo's own reconnect would
 * transfer the old subscriptions; starting over is simpler to reason about and what a PLC restart
 * needs anyway.)
 *
 * <p>Somewhat long because of {@code whyNot}: a refused connection says in /health which of the
 * dozen reasons it was (certificate, endpoint, policy, login), which is what a plant engineer needs
 * to fix it.
 */
final class OpcUaEndpoint extends Connection<OpcUaClient> {

  /** A line's view of the session; called on the endpoint's thread, must not block. */
  interface Listener {
    void connected(OpcUaClient client);

    void disconnected();
  }

  /** Where the endpoint gets its certificate and trust list (shared by endpoints on one pkiDir). */
  interface PkiSource {
    OpcUaPki open() throws Exception;
  }

  private static final Logger log = LoggerFactory.getLogger(OpcUaEndpoint.class);
  private static final long REQUEST_TIMEOUT_MS = 10_000;
  private static final long CONNECT_TIMEOUT_MS = 5_000;

  private final OpcUaEndpointConfig config;
  private final PkiSource pki;
  private final List<Listener> listeners = new CopyOnWriteArrayList<>();
  private boolean warnedTrustAll;

  // What the last attempt to connect learnt, to say why it failed; on the endpoint's thread.
  private List<EndpointDescription> offered = List.of();
  private @Nullable X509Certificate refused;

  OpcUaEndpoint(OpcUaEndpointConfig config, PkiSource pki) {
    super(
        "opcua",
        config.endpoint(),
        "opcua-" + hostAndPort(config.endpoint()),
        config.reconnect(),
        log);
    this.config = config;
    this.pki = pki;
  }

  /** Said in /health for as long as it is on, not only once in a log nobody reads. */
  @Override
  public ConnectorStatus status() {
    ConnectorStatus status = super.status();
    return config.trustAllCertificates()
        ? new ConnectorStatus(
            status.name(),
            status.state(),
            status.detail()
                + "; WARNING: trustAllCertificates is on, any server certificate is accepted",
            status.since(),
            status.reconnects())
        : status;
  }

  /**
   * Adds a line; the first one starts the connecting. A connected session is handed over at once.
   */
  void addListener(Listener listener) {
    execute(
        () -> {
          listeners.add(listener);
          OpcUaClient client = session();
          if (client != null) {
            listener.connected(client);
          }
          connect();
        });
  }

  void removeListener(Listener listener) {
    listeners.remove(listener);
  }

  /** A line found the session unusable (e.g. it cannot create a subscription): start over. */
  void reconnect(OpcUaClient broken, String why) {
    execute(
        () -> {
          if (session() == broken) {
            lost(connection(), why);
          }
        });
  }

  @Override
  protected OpcUaClient open(int connection) throws Exception {
    offered = List.of();
    refused = null;
    var offeredNow = new AtomicReference<List<EndpointDescription>>(List.of());
    var refusedNow = new AtomicReference<@Nullable X509Certificate>();
    OpcUaClient attempt = null;
    try {
      attempt = createClient(offeredNow, refusedNow);
      attempt.addSessionActivityListener(
          new SessionActivityListener() {
            @Override
            public void onSessionInactive(UaSession session) {
              lost(connection, "session lost");
            }
          });
      attempt.connect();
      return attempt;
    } catch (Exception e) {
      offered = offeredNow.get();
      refused = refusedNow.get();
      if (attempt != null) {
        attempt.disconnectAsync();
      }
      throw e;
    }
  }

  @Override
  protected String describe(OpcUaClient client) {
    return "connected to " + config.describe();
  }

  @Override
  protected void opened(OpcUaClient client, int connection, boolean again) {
    log.info("OPC UA: connected to {}", config.describe());
    listeners.forEach(l -> l.connected(client));
  }

  @Override
  protected void dropped(OpcUaClient client) {
    listeners.forEach(Listener::disconnected);
  }

  /** Waited for when closing, so that the server sees the session end with the gateway. */
  @Override
  protected void disconnect(OpcUaClient client) {
    var done = client.disconnectAsync();
    if (closed()) {
      try {
        done.get(2, TimeUnit.SECONDS);
      } catch (Exception e) {
        log.debug("OPC UA {}: disconnect failed", config.endpoint(), e);
      }
    }
  }

  @Override
  protected String whyNot(Exception e) {
    return whyNot(e, offered, refused);
  }

  private OpcUaClient createClient(
      AtomicReference<List<EndpointDescription>> offered,
      AtomicReference<@Nullable X509Certificate> refused)
      throws Exception {
    SecurityPolicy policy = SecurityPolicy.valueOf(config.policy().name());
    MessageSecurityMode mode = MessageSecurityMode.valueOf(config.mode().name());
    UserTokenType token =
        config.username().isEmpty() ? UserTokenType.Anonymous : UserTokenType.UserName;
    OpcUaPki own = policy == SecurityPolicy.None ? null : pki.open();
    return OpcUaClient.create(
        config.endpoint(),
        endpoints -> {
          offered.set(endpoints);
          return endpoints.stream()
              .filter(
                  e ->
                      policy.getUri().equals(e.getSecurityPolicyUri())
                          && e.getSecurityMode() == mode)
              .filter(e -> tokenTypes(e).anyMatch(t -> t == token))
              .findFirst()
              // Connect where we were told to: servers often advertise a host name we cannot
              // resolve.
              .map(
                  e ->
                      EndpointUtil.updateUrl(
                          e,
                          EndpointUtil.getHost(config.endpoint()),
                          EndpointUtil.getPort(config.endpoint())));
        },
        transport -> transport.setConnectTimeout(uint(CONNECT_TIMEOUT_MS)),
        client -> {
          client
              .setApplicationName(LocalizedText.english("Linegate gateway"))
              .setProductUri("urn:linegate:gateway")
              .setRequestTimeout(uint(REQUEST_TIMEOUT_MS))
              .setIdentityProvider(
                  config.username().isEmpty()
                      ? new AnonymousProvider()
                      : new UsernameProvider(config.username(), config.password().value()));
          if (own != null) {
            client
                .setApplicationUri(own.applicationUri())
                .setKeyPair(own.keyPair())
                .setCertificate(own.certificate())
                .setCertificateChain(new X509Certificate[] {own.certificate()});
            if (config.trustAllCertificates()) {
              warnTrustAll();
              client.setCertificateValidator(OpcUaPki.trustingEverything(config.endpoint()));
            } else {
              client.setCertificateValidator(own.validator(refused));
            }
          } else {
            client.setApplicationUri("urn:linegate:gateway");
          }
        });
  }

  private void warnTrustAll() {
    if (!warnedTrustAll) {
      warnedTrustAll = true;
      log.warn(
          "OPC UA: trustAllCertificates is on for {}: ANY server certificate is accepted; use it for development only",
          config.endpoint());
    }
  }

  private String whyNot(
      Exception e, List<EndpointDescription> offered, @Nullable X509Certificate refused) {
    if (refused != null) {
      return "server certificate not trusted ("
          + refused.getSubjectX500Principal().getName()
          + "): copied to "
          + OpcUaPki.rejectedCerts(config.pkiDir())
          + "; move it to "
          + OpcUaPki.trustedCerts(config.pkiDir())
          + " to trust it";
    }
    StatusCode status = OpcUaErrors.statusOf(e);
    if (status != null
        && status.value() == StatusCodes.Bad_ConfigurationError
        && !offered.isEmpty()) {
      List<String> described = new ArrayList<>();
      for (EndpointDescription d : offered) {
        described.add(
            SecurityPolicy.fromUriSafe(d.getSecurityPolicyUri())
                    .map(Enum::name)
                    .orElse(d.getSecurityPolicyUri())
                + "/"
                + d.getSecurityMode()
                + " "
                + tokenTypes(d).map(Enum::name).toList());
      }
      return "the server offers no endpoint with "
          + config.policy()
          + "/"
          + config.mode()
          + " and "
          + (config.username().isEmpty() ? "anonymous" : "user name")
          + " login; it offers "
          + described;
    }
    if (status != null && status.value() == StatusCodes.Bad_TcpEndpointUrlInvalid) {
      return "the server has no endpoint at "
          + config.endpoint()
          + " (check the path of the URL): "
          + OpcUaErrors.describe(e);
    }
    if (status != null
        && (status.value() == StatusCodes.Bad_UserAccessDenied
            || status.value() == StatusCodes.Bad_IdentityTokenRejected
            || status.value() == StatusCodes.Bad_IdentityTokenInvalid)) {
      return "login refused for "
          + (config.username().isEmpty() ? "anonymous" : "user " + config.username())
          + ": "
          + OpcUaErrors.describe(e);
    }
    return "connect failed: " + OpcUaErrors.describe(e);
  }

  private static Stream<UserTokenType> tokenTypes(EndpointDescription endpoint) {
    UserTokenPolicy[] policies = endpoint.getUserIdentityTokens();
    return policies == null
        ? Stream.empty()
        : Stream.of(policies).map(UserTokenPolicy::getTokenType);
  }

  private static String hostAndPort(String endpoint) {
    return EndpointUtil.getHost(endpoint) + ":" + EndpointUtil.getPort(endpoint);
  }
}
