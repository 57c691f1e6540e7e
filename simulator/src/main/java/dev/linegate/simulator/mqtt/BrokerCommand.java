package dev.linegate.simulator.mqtt;

import dev.linegate.simulator.CtrlC;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "broker",
    mixinStandardHelpOptions = true,
    description = "An MQTT 3.1.1 broker; persistent sessions and their queues live in memory.")
public final class BrokerCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(BrokerCommand.class);

  @Option(names = "--host", defaultValue = "127.0.0.1", description = "Default: ${DEFAULT-VALUE}.")
  String host;

  @Option(names = "--port", defaultValue = "1883", description = "Default: ${DEFAULT-VALUE}.")
  int port;

  @Override
  public Integer call() throws Exception {
    try (var ctrlC = CtrlC.install();
        var broker = EmbeddedBroker.start(host, port)) {
      LOG.info("MQTT broker listening on {}; Ctrl-C stops it", broker.url());
      ctrlC.await();
    }
    return 0;
  }
}
