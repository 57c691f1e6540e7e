package dev.linegate.simulator.load;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.linegate.simulator.CtrlC;
import dev.linegate.simulator.Limit;
import dev.linegate.simulator.LineOptions;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "load",
    mixinStandardHelpOptions = true,
    description = {
      "Drives a running gateway and reports rates, losses and latencies.",
      "Publishes batches at an even rate (over MQTT on --lines, and raised through the OPC UA"
          + " Ready/Ack handshake on --opcua-lines, on an OPC UA PLC started here), then waits"
          + " until each has its lot at the gateway and its lot.completed event at an ERP run"
          + " here (point the gateway's erp.url at it).",
      "Exits with 1 when a batch lacks its lot or its delivery."
    })
public final class LoadCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(LoadCommand.class);
  private static final Duration DEFAULT_DURATION = Duration.ofSeconds(30);

  @Option(
      names = "--broker",
      defaultValue = "tcp://127.0.0.1:1883",
      description = "Default: ${DEFAULT-VALUE}.")
  String broker;

  @Option(
      names = "--gateway",
      defaultValue = "http://127.0.0.1:8080",
      description =
          "The gateway's HTTP API (default: ${DEFAULT-VALUE}); a bearer token for it in"
              + " LINEGATE_TOKEN (tokens create NAME --role viewer).")
  URI gateway;

  @Option(
      names = "--erp-port",
      defaultValue = "8081",
      description = "Port of the ERP run here (default: ${DEFAULT-VALUE}).")
  int erpPort;

  @Mixin LineOptions line;

  @Option(
      names = "--opcua-lines",
      split = ",",
      description =
          "Lines whose PLC speaks OPC UA, comma separated: an OPC UA PLC with these lines is"
              + " started on --opcua-port. Without --lines, the run has no MQTT line.")
  List<String> opcuaLines = List.of();

  @Option(
      names = "--opcua-port",
      defaultValue = "4840",
      description = "Port of the OPC UA PLC started for --opcua-lines (default: ${DEFAULT-VALUE}).")
  int opcuaPort;

  @Spec CommandSpec spec;

  @Option(
      names = "--quantity",
      defaultValue = "10",
      description = "Units per batch (default: ${DEFAULT-VALUE}).")
  int quantity;

  @Option(
      names = "--rate",
      defaultValue = "100",
      description = "Batches per second over all lines (default: ${DEFAULT-VALUE}).")
  double rate;

  @ArgGroup(exclusive = true)
  Limit limit = new Limit();

  @Option(
      names = "--erp-down-while-publishing",
      description =
          "The ERP refuses connections while publishing, then accepts; the report adds how the"
              + " backlog drained.")
  boolean erpDown;

  @Option(
      names = "--erp-outage",
      description =
          "The ERP refuses connections for this long (e.g. 10s) in the middle of publishing, which"
              + " goes on; the report adds how long after its return the first event and the whole"
              + " backlog arrived.")
  Duration erpOutage;

  @Option(
      names = "--erp-outage-after",
      defaultValue = "5s",
      description =
          "When the --erp-outage starts, from the start of publishing (default: ${DEFAULT-VALUE}).")
  Duration erpOutageAfter;

  @Option(
      names = "--timeout",
      defaultValue = "2m",
      description =
          "How long to wait for lots and deliveries after publishing (default: ${DEFAULT-VALUE}).")
  Duration timeout;

  @Option(
      names = "--warmup",
      defaultValue = "0s",
      description =
          "Publish at the same rate for this long first, unmeasured, and wait for those events at"
              + " the ERP (default: ${DEFAULT-VALUE}).")
  Duration warmup;

  @Option(names = "--json", description = "Also write the report to this file as JSON.")
  Path json;

  @Override
  public Integer call() throws Exception {
    var duration =
        limit.count().isPresent()
            ? Optional.<Duration>empty()
            : Optional.of(limit.duration().orElse(DEFAULT_DURATION));
    // --lines has a default, for MQTT runs: an OPC UA run does not also publish on L1,L2.
    boolean mqttLines =
        opcuaLines.isEmpty() || spec.commandLine().getParseResult().hasMatchedOption("--lines");
    var options =
        new LoadOptions(
            broker,
            gateway,
            Optional.ofNullable(System.getenv("LINEGATE_TOKEN")),
            erpPort,
            mqttLines ? line.lines : List.of(),
            line.topic,
            opcuaLines,
            opcuaPort,
            line.product,
            quantity,
            rate,
            limit.count(),
            duration,
            erpDown,
            Optional.ofNullable(erpOutage)
                .map(length -> new LoadOptions.ErpOutage(erpOutageAfter, length)),
            timeout,
            warmup);
    var run = new LoadRun(options);
    LoadReport report;
    try (var ctrlC = CtrlC.install()) {
      ctrlC.onStop(run::stop);
      report = run.run();
    }
    System.out.print(report.toText());
    if (json != null) {
      new ObjectMapper()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .writeValue(json.toFile(), report);
      LOG.info("report written to {}", json);
    }
    return report.complete() ? 0 : 1;
  }
}
