package dev.linegate.simulator.opcua;

import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.types.enumerated.MessageSecurityMode;

/**
 * How the simulated OPC UA PLC presents itself.
 *
 * @param host the address it binds to and names in its endpoint URL
 * @param port 0 for a free port
 * @param endpoints the security offered, one endpoint each (None/None for development)
 * @param user when present, only this user may open a session; anonymous sessions otherwise
 * @param pkiDir where the server keeps its self-signed certificate (created once, then reused);
 *     used only when an endpoint has a security policy
 */
public record OpcUaPlcConfig(
    String host,
    int port,
    List<String> lines,
    List<Security> endpoints,
    Optional<User> user,
    Path pkiDir,
    QuantityType quantityType) {

  public static final String PATH = "/linegate";

  /** A security policy and mode the server offers. */
  public record Security(SecurityPolicy policy, MessageSecurityMode mode) {
    public static final Security NONE = new Security(SecurityPolicy.None, MessageSecurityMode.None);

    public Security {
      if ((policy == SecurityPolicy.None) != (mode == MessageSecurityMode.None)) {
        throw new IllegalArgumentException(
            "security policy " + policy.name() + " does not go with mode " + mode.name());
      }
    }

    boolean secure() {
      return policy != SecurityPolicy.None;
    }
  }

  /** The one user allowed in when anonymous sessions are not. */
  public record User(String name, String password) {
    @Override
    public String toString() {
      return "User[" + name + ", *****]";
    }
  }

  public OpcUaPlcConfig {
    lines = List.copyOf(new LinkedHashSet<>(lines));
    endpoints = List.copyOf(new LinkedHashSet<>(endpoints));
    if (lines.isEmpty()) {
      throw new IllegalArgumentException("at least one line is needed");
    }
    if (endpoints.isEmpty()) {
      throw new IllegalArgumentException("at least one endpoint security is needed");
    }
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("port must be 0..65535, not " + port);
    }
    for (String line : lines) {
      if (line.isBlank() || line.contains(";")) {
        throw new IllegalArgumentException("bad line id \"" + line + "\"");
      }
    }
  }

  /** No security, anonymous users, Int32 quantities: the development set-up. */
  public static OpcUaPlcConfig development(int port, List<String> lines, Path pkiDir) {
    return new OpcUaPlcConfig(
        "127.0.0.1",
        port,
        lines,
        List.of(Security.NONE),
        Optional.empty(),
        pkiDir,
        QuantityType.INT32);
  }

  public OpcUaPlcConfig withEndpoints(Security... security) {
    return new OpcUaPlcConfig(host, port, lines, List.of(security), user, pkiDir, quantityType);
  }

  public OpcUaPlcConfig withUser(String name, String password) {
    return new OpcUaPlcConfig(
        host, port, lines, endpoints, Optional.of(new User(name, password)), pkiDir, quantityType);
  }

  public OpcUaPlcConfig withQuantityType(QuantityType type) {
    return new OpcUaPlcConfig(host, port, lines, endpoints, user, pkiDir, type);
  }

  public OpcUaPlcConfig withPort(int newPort) {
    return new OpcUaPlcConfig(host, newPort, lines, endpoints, user, pkiDir, quantityType);
  }

  boolean secure() {
    return endpoints.stream().anyMatch(Security::secure);
  }
}
