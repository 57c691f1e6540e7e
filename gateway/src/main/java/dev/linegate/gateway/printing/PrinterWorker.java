package dev.linegate.gateway.printing;

import dev.linegate.connectors.ConnectorStatus;
import dev.linegate.connectors.ConnectorThread;
import dev.linegate.connectors.printer.PrinterLink;
import dev.linegate.connectors.printer.PrinterLinkConfig;
import dev.linegate.connectors.printer.PrinterStatus;
import dev.linegate.connectors.printer.PrinterUnavailableException;
import dev.linegate.gateway.config.PrinterConfig;
import dev.linegate.gateway.store.ReadPool;
import dev.linegate.gateway.store.StoreWriter;
import io.micrometer.core.instrument.Counter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds one printer from its queue, on a thread of its own. Before every send it asks the printer
 * for its status ({@code ~HS}); labels count as printed only when the printer's own count of
 * labels still to print says so. A fault holds the queue where it is, and printing resumes there
 * when the fault clears. A few labels are kept in the printer's buffer so that it never waits.
 */
final class PrinterWorker implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(PrinterWorker.class);
  /** Labels per write. */
  private static final int CHUNK = 10;
  /** Labels handed to the printer and not yet reported printed: enough to keep it busy. */
  private static final int WINDOW = 20;
  /** How often a printer with labels in its buffer is asked how far it got. */
  private static final Duration PRINTING_POLL = Duration.ofMillis(50);
  /** Longer than a step can take: a status query, two writes held by flow control, the store's waits. */
  private static final Duration STUCK = PrinterLinkConfig.DEFAULT_STATUS_TIMEOUT.plus(PrinterLinkConfig.DEFAULT_WRITE_TIMEOUT.multipliedBy(2)).plusSeconds(60);

  private final PrinterConfig config;
  private final PrinterLink link;
  private final PrintQueue queue;
  private final ReadPool reads;
  private final StoreWriter writer;
  private final ScheduledExecutorService thread;
  private final Counter printedLabels;

  // Touched only on the worker's thread, apart from the volatile status read by /health.
  /** Labels handed over may not have arrived whole: true at start, and after any failure but silence. */
  private boolean inDoubt = true;
  private Optional<Instant> faultSince = Optional.empty();
  private boolean alarmRaised;
  private volatile ConnectorStatus status;
  private volatile long waiting;
  private volatile @Nullable Instant stepStartedAt;
  private long faults;
  private ScheduledFuture<?> nextStep;

  PrinterWorker(PrinterConfig config, PrinterLink link, PrintQueue queue, ReadPool reads, StoreWriter writer, Counter printedLabels) {
    this.config = config;
    this.link = link;
    this.queue = queue;
    this.reads = reads;
    this.writer = writer;
    this.printedLabels = printedLabels;
    this.thread = ConnectorThread.create("printer-" + config.id(), log, failure -> stepFailed());
    this.status = new ConnectorStatus("printer:" + config.id(), ConnectorStatus.State.CONNECTING, "starting on " + config.port(), Instant.now(), 0);
  }

  void start() {
    thread.execute(this::step);
  }

  /** New labels were queued: look now instead of at the next status poll. */
  void wake() {
    try {
      thread.execute(
          () -> {
            if (nextStep != null && nextStep.cancel(false)) {
              step();
            }
          });
    } catch (RejectedExecutionException e) {
      // Shutting down: the queue is in the database and is read again at the next start.
    }
  }

  /**
   * What the printer is doing; a step that has not come back for longer than any I/O of it may
   * take (a status query, a write held by flow control) shows as stuck rather than as the last
   * state it reported.
   */
  ConnectorStatus status() {
    Instant started = stepStartedAt;
    if (started != null && Duration.between(started, Instant.now()).compareTo(STUCK) > 0) {
      return new ConnectorStatus(status.name(), ConnectorStatus.State.DOWN, "worker stuck since " + started + " (" + status.detail() + ")", started, faults);
    }
    return status;
  }

  /** Labels queued and not yet printed. */
  long waiting() {
    return waiting;
  }

  private void step() {
    Duration next = config.statusInterval();
    stepStartedAt = Instant.now();
    try {
      waiting = reads.read(c -> PrintQueue.waiting(c, config.id()));
      next = feed(link.queryStatus());
    } catch (PrinterUnavailableException e) {
      // A printer that is only silent (paper out, head open) keeps its buffer and resumes it;
      // anything else may have cut a write short.
      if (e.reason() != PrinterUnavailableException.Reason.NO_ANSWER) {
        inDoubt = true;
      }
      fault(e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    } catch (Throwable e) {
      // Labels may have been marked sent and not sent.
      inDoubt = true;
      log.error("Printer {}: the print queue could not be read or written", config.id(), e);
    } finally {
      stepStartedAt = null;
    }
    plan(next);
  }

  /**
   * Something on the worker's thread threw past the step's own handling: as after any failure,
   * what was handed to the printer is in doubt, and the printer is asked again at the next poll.
   */
  private void stepFailed() {
    inDoubt = true;
    if (nextStep == null || nextStep.isDone()) {
      plan(config.statusInterval());
    }
  }

  private void plan(Duration next) {
    if (!thread.isShutdown()) {
      nextStep = thread.schedule(this::step, next.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  /** One round with a printer that answered: settle what it printed, send more, say when to look again. */
  private Duration feed(PrinterStatus printer) throws Exception {
    Optional<String> fault = printer.fault();
    if (fault.isPresent()) {
      fault(fault.get());
      return config.statusInterval();
    }
    faultCleared();
    Optional<PrintJob> current = reads.read(c -> PrintQueue.next(c, config.id()));
    if (current.isEmpty()) {
      inDoubt = false;
      up("ready, queue empty");
      return config.statusInterval();
    }
    PrintJob job = current.get();
    if (job.outstanding() > 0 && inDoubt) {
      // Handed over before a restart, a lost connection or a failed write: whether they printed,
      // are still in the printer or never arrived whole (the printer may hold a prefix of a
      // broken write), the printer cannot say. An operator settles them; sending them again
      // could print a serial twice.
      log.warn("Printer {}: {} label(s) of job {} (lot {}) were handed over before a restart, a lost connection or a failed write; listed as uncertain for an operator", config.id(), job.outstanding(), job.id(), job.lot());
      job = settle(job, job.sent(), true);
    }
    inDoubt = false;
    int inPrinter = Math.min(printer.labelsInPrinter(), job.outstanding());
    int printed = job.outstanding() - inPrinter;
    if (printed > 0) {
      job = settle(job, job.settled() + printed, false);
      printedLabels.increment(printed);
    }
    if (job.finished()) {
      up("ready");
      return Duration.ZERO;
    }
    int sent = job.sent();
    int room = Math.min(WINDOW - job.outstanding(), job.labels() - sent);
    while (room > 0) {
      int count = Math.min(CHUNK, room);
      send(job, sent, count);
      sent += count;
      room -= count;
    }
    up("printing job " + job.id() + " (lot " + job.lot() + "): " + job.settled() + " of " + job.labels() + " printed");
    return PRINTING_POLL;
  }

  private void send(PrintJob job, int from, int count) throws Exception {
    List<LabelData> labels = reads.read(c -> PrintQueue.labels(c, job, from, count));
    StringBuilder zpl = new StringBuilder(labels.size() * 600);
    labels.forEach(label -> zpl.append(config.template().render(LabelFields.of(label))));
    int sent = from + labels.size();
    writer.submit(tx -> {
          PrintQueue.markSent(tx, job.id(), sent);
          return null;
        })
        .get(30, TimeUnit.SECONDS);
    link.send(zpl.toString().getBytes(StandardCharsets.UTF_8));
  }

  private PrintJob settle(PrintJob job, int through, boolean uncertain) throws Exception {
    Instant now = Instant.now();
    return writer
        .submit(tx -> uncertain ? queue.markUncertain(tx, job, through, config.id(), now) : queue.markPrinted(tx, job, through, config.id(), now))
        .get(30, TimeUnit.SECONDS);
  }

  private void fault(String reason) {
    Instant now = Instant.now();
    if (faultSince.isEmpty()) {
      faultSince = Optional.of(now);
      faults++;
      log.warn("Printer {}: {}; the queue holds", config.id(), reason);
    }
    status = new ConnectorStatus(status.name(), ConnectorStatus.State.DOWN, reason, faultSince.get(), faults);
    if (!alarmRaised && Duration.between(faultSince.get(), now).compareTo(config.faultAlarm()) >= 0) {
      raiseAlarm(reason, faultSince.get(), now);
    }
  }

  /** The ERP hears of a fault that has held labels longer than the alarm time, once per fault. */
  private void raiseAlarm(String reason, Instant since, Instant now) {
    try {
      Optional<PrintJob> job = reads.read(c -> PrintQueue.next(c, config.id()));
      if (job.isPresent()) {
        writer.submit(tx -> {
              queue.appendFailed(tx, job.get(), config.id(), reason, since, now);
              return null;
            })
            .get(30, TimeUnit.SECONDS);
        log.warn("Printer {}: {} for {} s with labels waiting; label.failed sent to the ERP", config.id(), reason, Duration.between(since, now).toSeconds());
        // Raised only once written: a fault that began with an empty queue is reported as soon
        // as labels wait behind it.
        alarmRaised = true;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      log.error("Printer {}: could not record the fault for the ERP", config.id(), e);
    }
  }

  private void faultCleared() {
    if (faultSince.isPresent()) {
      log.info("Printer {}: ready again after {} s; printing resumes", config.id(), Duration.between(faultSince.get(), Instant.now()).toSeconds());
    }
    faultSince = Optional.empty();
    alarmRaised = false;
  }

  private void up(String detail) {
    if (status.state() != ConnectorStatus.State.UP || !status.detail().equals(detail)) {
      status = new ConnectorStatus(status.name(), ConnectorStatus.State.UP, detail, Instant.now(), faults);
    }
  }

  @Override
  public void close() {
    // A step that is sending finishes, so that what was marked sent did go out.
    thread.shutdown();
    try {
      if (!thread.awaitTermination(10, TimeUnit.SECONDS)) {
        thread.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    link.close();
  }
}
