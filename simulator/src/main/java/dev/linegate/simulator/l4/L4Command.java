package dev.linegate.simulator.l4;

import dev.linegate.simulator.CtrlC;
import java.util.Map;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "l4",
    mixinStandardHelpOptions = true,
    description = {
      "A serial number provider (SPEC section 8) that several gateways share:"
          + " POST /api/serial-numbers/requests, /requests/{id}/next and /returns.",
      "The same requestId always answers the same serials; --cap makes fills partial."
    })
public final class L4Command implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(L4Command.class);

  @Option(names = "--host", defaultValue = "127.0.0.1", description = "Default: ${DEFAULT-VALUE}.")
  String host;

  @Option(names = "--port", defaultValue = "8083", description = "Default: ${DEFAULT-VALUE}.")
  int port;

  @Option(
      names = "--page-size",
      defaultValue = "5000",
      description = "Serials per page of an answer (default: ${DEFAULT-VALUE}).")
  int pageSize;

  @Option(
      names = "--cap",
      description = "GTIN=N: at most N serials of that GTIN in all; later requests are partial.")
  Map<String, Long> caps = Map.of();

  @Override
  public Integer call() {
    try (var ctrlC = CtrlC.install();
        var l4 = SimulatedL4.start(host, port, pageSize)) {
      caps.forEach(l4::cap);
      LOG.info("L4 serial number provider on {}; Ctrl-C stops it", l4.url());
      ctrlC.await();
    }
    return 0;
  }
}
