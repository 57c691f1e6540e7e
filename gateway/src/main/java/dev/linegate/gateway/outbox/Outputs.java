package dev.linegate.gateway.outbox;

import dev.linegate.connectors.ConnectorStatus;
import dev.linegate.gateway.auth.Actor;
import dev.linegate.gateway.config.ConfigException;
import dev.linegate.gateway.config.ErpConfig;
import dev.linegate.gateway.core.CoreThread;
import dev.linegate.gateway.store.ReadPool;
import dev.linegate.gateway.store.Refused;
import dev.linegate.gateway.store.StoreWriter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The configured outputs of {@code erp} (http: erp.url or erp.routes; kafka: erp.kafka; epcis:
 * erp.epcis), each with its dispatcher: every event is appended for each of them, and each drains
 * its own backlog.
 */
public final class Outputs implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Outputs.class);

  private final List<Output> outputs;
  private final Map<String, OutboxDispatcher> dispatchers = new LinkedHashMap<>();
  private final ReadPool reads;

  private Outputs(
      List<Output> outputs,
      ErpConfig config,
      ReadPool reads,
      StoreWriter writer,
      MeterRegistry metrics,
      CoreThread.Fatal fatal) {
    this.outputs = outputs;
    this.reads = reads;
    for (Output output : outputs) {
      dispatchers.put(
          output.name(), new OutboxDispatcher(reads, writer, output, config, metrics, fatal));
    }
  }

  /** Starts the configured outputs and their dispatchers. */
  public static Outputs start(
      ErpConfig config,
      String gatewayId,
      ReadPool reads,
      StoreWriter writer,
      MeterRegistry metrics,
      CoreThread.Fatal fatal)
      throws ConfigException {
    List<Output> outputs = new ArrayList<>();
    try {
      if (config.http()) {
        outputs.add(ErpRoutes.start(config));
      }
      if (config.kafka().isPresent()) {
        outputs.add(KafkaOutput.start(config.kafka().get(), gatewayId));
      }
      if (config.epcis().isPresent()) {
        outputs.add(EpcisOutput.start(config.epcis().get(), config.timeoutMs()));
      }
    } catch (ConfigException | RuntimeException e) {
      outputs.forEach(Output::close);
      throw e;
    }
    Outputs started = new Outputs(outputs, config, reads, writer, metrics, fatal);
    started.warnOfOrphans();
    started.dispatchers.values().forEach(OutboxDispatcher::start);
    return started;
  }

  /** The names of the outputs, each of which gets every event. */
  public List<String> names() {
    return List.copyOf(dispatchers.keySet());
  }

  /** Something may be ready to send (new events committed, a dead letter released). */
  public void wake() {
    dispatchers.values().forEach(OutboxDispatcher::wake);
  }

  /** Each output's check in {@code /health}. */
  public List<ConnectorStatus> statuses() {
    return dispatchers.values().stream().map(OutboxDispatcher::status).toList();
  }

  /** Each output's backlog, by name, in the order configured. */
  public Map<String, OutboxStats> stats() {
    Map<String, OutboxStats> stats = new LinkedHashMap<>();
    dispatchers.forEach((name, dispatcher) -> stats.put(name, dispatcher.stats()));
    return stats;
  }

  /** Sends dead letter {@code id} again, to the output it was for. */
  public void retry(long id, Actor by) throws Exception {
    Optional<String> output = reads.read(c -> Outbox.outputOf(c, id));
    if (output.isEmpty()) {
      throw new Refused(Refused.Kind.NOT_FOUND, "no such outbox event", "outbox event " + id);
    }
    OutboxDispatcher dispatcher = dispatchers.get(output.get());
    if (dispatcher == null) {
      throw new Refused(
          Refused.Kind.CONFLICT,
          "output not configured",
          "outbox event " + id + " is for output " + output.get() + ", which is not configured");
    }
    if (!dispatcher.retry(id, by).orElse(false)) {
      throw new Refused(
          Refused.Kind.CONFLICT,
          "not a dead letter",
          "outbox event " + id + " is not dead; only dead letters can be retried");
    }
  }

  /** Events left for an output that is configured no more wait for it: said once at start. */
  private void warnOfOrphans() {
    try {
      for (String orphan : reads.read(c -> Outbox.orphaned(c, names()))) {
        log.warn(
            "Events wait for output {}, which is not configured (any more): they stay in the"
                + " outbox until it is (GET /api/outbox?output={})",
            orphan,
            orphan);
      }
    } catch (Exception e) {
      log.warn("Could not look for events of outputs no longer configured: {}", e.getMessage());
    }
  }

  @Override
  public void close() {
    dispatchers.values().forEach(OutboxDispatcher::close);
    outputs.forEach(Output::close);
  }
}
