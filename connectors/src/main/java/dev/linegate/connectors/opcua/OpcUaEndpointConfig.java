package dev.linegate.connectors.opcua;

import dev.linegate.connectors.Backoff;
import dev.linegate.connectors.Secret;
import java.nio.file.Path;

/** What one client session is made of: lines whose configs agree on all of it share the session. */
public record OpcUaEndpointConfig(
    String endpoint,
    OpcUaSourceConfig.Policy policy,
    OpcUaSourceConfig.Mode mode,
    String username,
    Secret password,
    Path pkiDir,
    boolean trustAllCertificates,
    Backoff reconnect) {

  /** For logs and status: the URL with its security and user, never the password. */
  public String describe() {
    return endpoint
        + " ("
        + policy
        + "/"
        + mode
        + ", "
        + (username.isEmpty() ? "anonymous" : "user " + username)
        + ")";
  }
}
