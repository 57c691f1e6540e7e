package dev.linegate.gateway.it;

import dev.linegate.gateway.Gateway;
import dev.linegate.gateway.config.ConfigLoader;
import dev.linegate.gateway.core.CoreThread;
import java.nio.file.Path;
import java.util.Map;

/**
 * The one way a test starts a gateway in its own JVM (GatewayProcess starts the jar as users do):
 * the configuration file loaded without the environment, and a dead core thread only logged and
 * DOWN in /health, since ending the process would end the test run.
 */
final class InProcessGateway {

  private InProcessGateway() {}

  static Gateway start(Path config) throws Exception {
    return start(config, Map.of());
  }

  /** With the variables a service's environment would give the configuration's {@code ${...}}. */
  static Gateway start(Path config, Map<String, String> environment) throws Exception {
    return Gateway.start(new ConfigLoader(environment).load(config), CoreThread.Fatal.NONE);
  }
}
