package dev.linegate.gateway.printing;

import dev.linegate.connectors.ConnectorStatus;
import dev.linegate.connectors.printer.PrinterLink;
import dev.linegate.gateway.auth.Actor;
import dev.linegate.gateway.auth.AuditTrail;
import dev.linegate.gateway.config.GatewayConfig;
import dev.linegate.gateway.config.PrinterConfig;
import dev.linegate.gateway.config.ProductConfig;
import dev.linegate.gateway.store.ReadPool;
import dev.linegate.gateway.store.StoreWriter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** Every configured printer, each fed by its own worker. */
public final class Printers implements AutoCloseable {

  private final List<PrinterWorker> workers = new ArrayList<>();
  private final StoreWriter writer;

  /** {@code links}: the configured printers' connectors, by id; each closed by its worker. */
  public Printers(
      GatewayConfig config,
      Map<String, PrinterLink> links,
      PrintQueue queue,
      ReadPool reads,
      StoreWriter writer,
      MeterRegistry metrics) {
    this.writer = writer;
    Map<String, LabelTemplate> containerTemplates = new HashMap<>();
    for (ProductConfig product : config.products()) {
      product
          .packaging()
          .ifPresent(
              packaging -> {
                containerTemplates.put(product.code() + "/case", packaging.inCase().template());
                packaging
                    .onPallet()
                    .ifPresent(
                        pallet ->
                            containerTemplates.put(product.code() + "/pallet", pallet.template()));
              });
    }
    for (PrinterConfig printer : config.printers()) {
      PrinterWorker worker =
          new PrinterWorker(
              printer,
              links.get(printer.id()),
              queue,
              reads,
              writer,
              Map.copyOf(containerTemplates),
              metrics.counter("linegate_labels_printed_total", "printer", printer.id()));
      Gauge.builder("linegate_printer_labels_waiting", worker::waiting)
          .tag("printer", printer.id())
          .description("Labels queued and not yet printed")
          .register(metrics);
      workers.add(worker);
    }
  }

  public void start() {
    workers.forEach(PrinterWorker::start);
  }

  /** Labels were queued somewhere: every printer looks at its queue now. */
  public void wake() {
    workers.forEach(PrinterWorker::wake);
  }

  /**
   * See {@link PrinterWorker#acknowledgeFailedJobs}, then in the audit trail; empty if there is no
   * such printer.
   */
  public Optional<CompletableFuture<Integer>> acknowledgeFailedJobs(String printer, Actor by) {
    return workers.stream()
        .filter(worker -> worker.id().equals(printer))
        .findFirst()
        .map(
            worker ->
                worker
                    .acknowledgeFailedJobs(by.name())
                    .thenCompose(
                        jobs ->
                            writer.submit(
                                tx -> {
                                  AuditTrail.append(
                                      tx,
                                      by,
                                      "printer.acknowledge-failed-jobs",
                                      "printer " + printer,
                                      Optional.of(jobs + " failed job(s)"),
                                      Instant.now());
                                  return jobs;
                                })));
  }

  public List<ConnectorStatus> statuses() {
    return workers.stream().map(PrinterWorker::status).toList();
  }

  @Override
  public void close() {
    workers.forEach(PrinterWorker::close);
  }
}
