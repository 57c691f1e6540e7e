package dev.linegate.simulator.opcua;

import static org.eclipse.milo.opcua.sdk.server.OpcUaServerConfig.USER_TOKEN_POLICY_ANONYMOUS;
import static org.eclipse.milo.opcua.sdk.server.OpcUaServerConfig.USER_TOKEN_POLICY_USERNAME;

import io.netty.channel.Channel;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.eclipse.milo.opcua.sdk.server.EndpointConfig;
import org.eclipse.milo.opcua.sdk.server.OpcUaServer;
import org.eclipse.milo.opcua.sdk.server.OpcUaServerConfig;
import org.eclipse.milo.opcua.sdk.server.identity.AnonymousIdentityValidator;
import org.eclipse.milo.opcua.sdk.server.identity.IdentityValidator;
import org.eclipse.milo.opcua.sdk.server.identity.UsernameIdentityValidator;
import org.eclipse.milo.opcua.sdk.server.servicesets.impl.DefaultAttributeServiceSet;
import org.eclipse.milo.opcua.stack.core.security.CertificateManager;
import org.eclipse.milo.opcua.stack.core.security.CertificateValidator;
import org.eclipse.milo.opcua.stack.core.security.DefaultApplicationGroup;
import org.eclipse.milo.opcua.stack.core.security.DefaultCertificateManager;
import org.eclipse.milo.opcua.stack.core.security.MemoryCertificateQuarantine;
import org.eclipse.milo.opcua.stack.core.security.MemoryCertificateStore;
import org.eclipse.milo.opcua.stack.core.security.MemoryTrustListManager;
import org.eclipse.milo.opcua.stack.core.security.RsaSha256CertificateFactory;
import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.transport.TransportProfile;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.enumerated.MessageSecurityMode;
import org.eclipse.milo.opcua.stack.core.types.structured.UserTokenPolicy;
import org.eclipse.milo.opcua.stack.core.util.EndpointUtil;
import org.eclipse.milo.opcua.stack.transport.server.tcp.OpcTcpServerTransport;
import org.eclipse.milo.opcua.stack.transport.server.tcp.OpcTcpServerTransportConfig;

/** Builds the Milo server of a simulated PLC from its config: endpoints, certificate, users. */
final class PlcServerFactory {

  /** It is a simulator: every client certificate is welcome. */
  private static final CertificateValidator TRUST_EVERY_CLIENT = (chain, uri, hosts) -> {};

  private PlcServerFactory() {}

  /**
   * {@code channels} hears of every client connection, so that they can be cut; while {@code
   * shortReads} says so, Reads are answered with one value only (see {@link ShortReads}).
   */
  static OpcUaServer create(
      OpcUaPlcConfig config,
      Optional<ServerCertificate> certificate,
      Consumer<Channel> channels,
      BooleanSupplier shortReads)
      throws Exception {
    var serverConfig =
        OpcUaServerConfig.builder()
            .setApplicationUri(OpcUaPlc.APPLICATION_URI)
            .setApplicationName(LocalizedText.english("Linegate simulated PLC"))
            .setProductUri("urn:linegate:simulator")
            .setEndpoints(endpoints(config, certificate.map(ServerCertificate::certificate)))
            .setCertificateManager(certificateManager(certificate))
            .setIdentityValidator(identityValidator(config))
            .build();
    var server =
        new OpcUaServer(
            serverConfig,
            profile ->
                new OpcTcpServerTransport(
                    OpcTcpServerTransportConfig.newBuilder()
                        .setChannelPipelineCustomizer(
                            pipeline -> channels.accept(pipeline.channel()))
                        .build()));
    // Replaces the standard attribute services of each endpoint (discovery endpoints have none).
    for (EndpointConfig endpoint : serverConfig.getEndpoints()) {
      String path = EndpointUtil.getPath(endpoint.getEndpointUrl());
      if (!path.endsWith("/discovery")) {
        server.addServiceSet(
            path, new ShortReads(new DefaultAttributeServiceSet(server), shortReads));
      }
    }
    return server;
  }

  private static Set<EndpointConfig> endpoints(
      OpcUaPlcConfig config, Optional<X509Certificate> certificate) {
    UserTokenPolicy tokens =
        config.user().isPresent() ? USER_TOKEN_POLICY_USERNAME : USER_TOKEN_POLICY_ANONYMOUS;
    EndpointConfig.Builder base =
        EndpointConfig.newBuilder()
            .setTransportProfile(TransportProfile.TCP_UASC_UABINARY)
            .setBindAddress(config.host())
            .setHostname(config.host())
            .setBindPort(config.port())
            .addTokenPolicy(tokens);
    certificate.ifPresent(base::setCertificate);
    var endpoints = new LinkedHashSet<EndpointConfig>();
    // At /linegate, and at the root as many PLCs do (opc.tcp://host:4840, as in the SPEC's
    // example).
    for (String path : List.of(OpcUaPlcConfig.PATH, "/")) {
      for (OpcUaPlcConfig.Security security : config.endpoints()) {
        endpoints.add(
            base.copy()
                .setPath(path)
                .setSecurityPolicy(security.policy())
                .setSecurityMode(security.mode())
                .build());
      }
      if (!config.endpoints().contains(OpcUaPlcConfig.Security.NONE)) {
        // Part 6: a server whose endpoints all need security offers discovery without it.
        endpoints.add(
            base.copy()
                .setPath(path.equals("/") ? "/discovery" : path + "/discovery")
                .setSecurityPolicy(SecurityPolicy.None)
                .setSecurityMode(MessageSecurityMode.None)
                .build());
      }
    }
    return endpoints;
  }

  private static CertificateManager certificateManager(Optional<ServerCertificate> certificate)
      throws Exception {
    if (certificate.isEmpty()) {
      return new DefaultCertificateManager(new MemoryCertificateQuarantine());
    }
    ServerCertificate own = certificate.get();
    var factory =
        new RsaSha256CertificateFactory() {
          @Override
          protected KeyPair createRsaSha256KeyPair() {
            return own.keyPair();
          }

          @Override
          protected X509Certificate[] createRsaSha256CertificateChain(KeyPair keyPair) {
            return new X509Certificate[] {own.certificate()};
          }
        };
    var group =
        new DefaultApplicationGroup(
            new MemoryTrustListManager(),
            new MemoryCertificateStore(),
            factory,
            TRUST_EVERY_CLIENT);
    group.initialize();
    return new DefaultCertificateManager(new MemoryCertificateQuarantine(), group);
  }

  private static IdentityValidator identityValidator(OpcUaPlcConfig config) {
    if (config.user().isEmpty()) {
      return AnonymousIdentityValidator.INSTANCE;
    }
    OpcUaPlcConfig.User user = config.user().get();
    return new UsernameIdentityValidator(
        challenge ->
            user.name().equals(challenge.getUsername())
                && user.password().equals(challenge.getPassword()));
  }
}
