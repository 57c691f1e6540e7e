package dev.linegate.gateway.printing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.linegate.connectors.ConnectorStatus.State;
import dev.linegate.connectors.printer.PrinterLink;
import dev.linegate.connectors.printer.PrinterLinkConfig;
import dev.linegate.connectors.serial.SerialSettings;
import dev.linegate.gateway.config.PrinterConfig;
import dev.linegate.gateway.outbox.Outbox;
import dev.linegate.gateway.store.TestStore;
import dev.linegate.simulator.printer.PrintedLabel;
import dev.linegate.simulator.printer.PrinterFault;
import dev.linegate.simulator.printer.SimulatedPrinter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One printer's worker between a real SQLite queue and the simulated Zebra over TCP: labels count
 * as printed only when the printer's own count says so, and a fault holds the queue where it is.
 */
class PrinterWorkerTest {

  @TempDir Path dir;
  private TestStore store;
  private SimulatedPrinter printer;
  private PrinterWorker worker;
  private Counter printed;

  @BeforeEach
  void start() throws Exception {
    store = new TestStore(dir);
    printer = SimulatedPrinter.start();
    int port = printer.listenTcp(0);
    var config =
        new PrinterConfig(
            "P1",
            "tcp://127.0.0.1:" + port,
            SerialSettings.DEFAULT,
            LabelTemplate.read(Path.of("../config/labels/unit-gs1.zpl")),
            Duration.ofMillis(50),
            Duration.ofMinutes(5));
    printed = new SimpleMeterRegistry().counter("printed");
    worker =
        new PrinterWorker(
            config,
            new PrinterLink(PrinterLinkConfig.of("P1", config.port(), config.serial())),
            new PrintQueue(
                new Outbox(new ObjectMapper(), "edge-test", List.of("http")), new ObjectMapper()),
            store.reads(),
            store.writer(),
            Map.of(),
            printed);
  }

  @AfterEach
  void stop() throws Exception {
    worker.close();
    printer.close();
    store.close();
  }

  @Test
  void labelsHandedToThePrinterTurnPrintedOnlyWhenThePrinterHasPrintedThem() throws Exception {
    printer.speed(2);
    store.write(tx -> PrintQueueTest.lot(tx, 1, "LOT1", 3));
    worker.start();
    await().until(() -> printer.labelsRemaining() > 0);
    // Paused with labels in its buffer: those are not printed, whatever the worker handed over.
    printer.fault(PrinterFault.PAUSE);
    await().until(() -> worker.status().detail().startsWith("paused"));
    int printedByPrinter = printer.labels().size();
    assertThat(printedByPrinter).isLessThan(3);
    assertThat(printedSerials()).isLessThanOrEqualTo(printedByPrinter);
    assertThat(printed.count()).isLessThanOrEqualTo(printedByPrinter);

    printer.speed(1_000);
    printer.fault(PrinterFault.NONE);
    await().until(() -> "printed,printed,printed".equals(serialStatuses()));
    assertThat(printer.labels())
        .extracting(PrintedLabel::texts)
        .allMatch(texts -> String.join(" ", texts).contains("LOT1"));
    await().until(() -> worker.status().detail().equals("ready, queue empty"));
    assertThat(worker.status().state()).isEqualTo(State.UP);
    assertThat(worker.waiting()).isZero();
    assertThat(printed.count()).isEqualTo(3);
    assertThat(store.text("SELECT count(*) FROM outbox WHERE type = 'dev.linegate.label.printed'"))
        .isEqualTo("1");
  }

  /** A Zebra out of paper is silent: the worker shows why, holds the queue, and resumes there. */
  @Test
  void aPrinterOutOfPaperHoldsTheQueueAndPrintingResumesWhenItIsBack() throws Exception {
    worker.start();
    await().until(() -> worker.status().up());
    printer.fault(PrinterFault.PAPER_OUT);
    await().until(() -> worker.status().state() == State.DOWN);
    assertThat(worker.status().detail()).contains("no answer to ~HS");

    store.write(tx -> PrintQueueTest.lot(tx, 1, "LOT1", 2));
    worker.wake();
    await().until(() -> worker.waiting() == 2);
    assertThat(printer.labels()).isEmpty();
    assertThat(worker.status().state()).isEqualTo(State.DOWN);

    printer.fault(PrinterFault.NONE);
    await().until(() -> "printed,printed".equals(serialStatuses()));
    assertThat(printer.labels()).hasSize(2);
    await().until(() -> worker.status().up());
  }

  private int printedSerials() throws Exception {
    return Integer.parseInt(store.text("SELECT count(*) FROM serials WHERE status = 'printed'"));
  }

  private String serialStatuses() throws Exception {
    return store.text("SELECT group_concat(status) FROM (SELECT status FROM serials ORDER BY id)");
  }
}
