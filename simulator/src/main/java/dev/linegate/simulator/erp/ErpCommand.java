package dev.linegate.simulator.erp;

import dev.linegate.simulator.CtrlC;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "erp",
    mixinStandardHelpOptions = true,
    description = {
      "An ERP that takes the gateway's CloudEvents (POST /api/events) and de-duplicates them by"
          + " Idempotency-Key.",
      "GET /api/events[?type=] lists them, GET /api/events/stats counts them.",
      "On the control port, POST /control/mode with"
          + " {\"mode\":\"normal|refuse|slow|status\",\"status\":503,\"delayMs\":500} changes how"
          + " it answers; \"batchId\" limits a status to that batch's events.",
      "EPCIS 2.0 capture: POST /epcis/capture (202), GET /epcis/capture/{job}, GET"
          + " /epcis/documents, GET /epcis/events; POST /control/epcis with {\"status\":503},"
          + " {\"maxEvents\":100} (413 above it), {\"jobError\":\"...\"} (capture jobs fail,"
          + " null: they succeed) or {\"jobPolls\":3} (jobs run for 3 polls)."
    })
public final class ErpCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(ErpCommand.class);

  @Option(names = "--host", defaultValue = "127.0.0.1", description = "Default: ${DEFAULT-VALUE}.")
  String host;

  @Option(names = "--port", defaultValue = "8081", description = "Default: ${DEFAULT-VALUE}.")
  int port;

  @Option(
      names = "--control-port",
      defaultValue = "8082",
      description = "Default: ${DEFAULT-VALUE}.")
  int controlPort;

  @Option(
      names = "--authorization",
      description =
          "Accept only requests with this Authorization header (401 without one, 403 with another),"
              + " e.g. \"Bearer demo-token\"; the value is read from ERP_AUTHORIZATION when that"
              + " is set, so that it stays out of the process list.")
  String authorization;

  @Option(
      names = "--epcis-max-events",
      defaultValue = "2147483647",
      description = "Answer an EPCISDocument of more events with 413 (default: no limit).")
  int epcisMaxEvents;

  @Override
  public Integer call() {
    try (var ctrlC = CtrlC.install();
        var erp = SimulatedErp.start(host, port)) {
      String required =
          System.getenv("ERP_AUTHORIZATION") != null
              ? System.getenv("ERP_AUTHORIZATION")
              : authorization;
      if (required != null) {
        erp.requireAuthorization(required);
      }
      int control = erp.serveControl(controlPort);
      erp.limitEpcisEvents(epcisMaxEvents);
      erp.onEvent(event -> LOG.info("ERP <- {}", event.summary()));
      erp.onEpcisEvent(event -> LOG.info("EPCIS <- {}", event.summary()));
      LOG.info(
          "ERP listening on {} (EPCIS capture on {}), control on http://{}:{}/control/mode;"
              + " Ctrl-C stops it",
          erp.url(),
          erp.epcisUrl(),
          host,
          control);
      ctrlC.await();
    }
    return 0;
  }
}
