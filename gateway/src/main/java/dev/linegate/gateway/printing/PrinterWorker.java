package dev.linegate.gateway.printing;

import dev.linegate.connectors.Backoff;
import dev.linegate.connectors.ConnectorStatus;
import dev.linegate.connectors.ConnectorThread;
import dev.linegate.connectors.printer.PrinterLink;
import dev.linegate.connectors.printer.PrinterLinkConfig;
import dev.linegate.connectors.printer.PrinterStatus;
import dev.linegate.connectors.printer.PrinterUnavailableException;
import dev.linegate.gateway.config.PrinterConfig;
import dev.linegate.gateway.core.LogContext;
import dev.linegate.gateway.store.ReadPool;
import dev.linegate.gateway.store.StoreWriter;
import io.micrometer.core.instrument.Counter;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds one printer from its queue, on a thread of its own. Before every send it asks the printer
 * for its status ({@code ~HS}); labels count as printed only when the printer's own count of labels
 * still to print says so. A fault holds the queue where it is, and printing resumes there when the
 * fault clears. A few labels are kept in the printer's buffer so that it never waits. A job whose
 * next label cannot be rendered fails with its reason, so that it does not hold the jobs behind it;
 * any other failure of a round shows in /health and is tried again with backoff.
 *
 * <p>Long because it is one printer's state on one thread (labels in doubt, the fault and its
 * alarm, the failed jobs shown until acknowledged): split, that state would be shared between
 * classes that must then agree on which thread touches it.
 */
final class PrinterWorker implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(PrinterWorker.class);

  /** Labels per write. */
  private static final int CHUNK = 10;

  /** Labels handed to the printer and not yet reported printed: enough to keep it busy. */
  private static final int WINDOW = 20;

  /** How often a printer with labels in its buffer is asked how far it got. */
  private static final Duration PRINTING_POLL = Duration.ofMillis(50);

  /**
   * Longer than a step can take: a status query, two writes held by flow control, the store's
   * waits.
   */
  private static final Duration STUCK =
      PrinterLinkConfig.DEFAULT_STATUS_TIMEOUT
          .plus(PrinterLinkConfig.DEFAULT_WRITE_TIMEOUT.multipliedBy(2))
          .plusSeconds(60);

  /**
   * After a round that failed (the database, a bug): the next one waits longer each time in a row.
   */
  private static final Backoff RETRY = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30));

  /** Failed jobs named in /health, the latest ones; the others are counted. */
  private static final int FAILED_SHOWN = 3;

  /**
   * Labels {@code from + 1} to {@code from + labels} as ZPL, and why the label after them cannot be
   * rendered, if it cannot.
   */
  private record Rendered(String zpl, int labels, Optional<String> failure) {}

  private final PrinterConfig config;
  private final PrinterLink link;
  private final PrintQueue queue;
  private final Map<String, LabelTemplate> containerTemplates;
  private final ReadPool reads;
  private final StoreWriter writer;
  private final ScheduledExecutorService thread;
  private final Counter printedLabels;

  // Touched only on the worker's thread, apart from the volatile status read by /health.
  /**
   * Labels handed over may not have arrived whole: true at start, and after any failure but
   * silence.
   */
  private boolean inDoubt = true;

  private Optional<Instant> faultSince = Optional.empty();
  private boolean alarmRaised;
  private volatile ConnectorStatus status;
  private volatile long waiting;
  private volatile @Nullable Instant stepStartedAt;
  private long faults;
  private int failedRounds;

  /**
   * The latest jobs that failed and how many did: /health names them until an operator acknowledges
   * them.
   */
  private final Deque<String> failedJobs = new ArrayDeque<>(FAILED_SHOWN);

  private int failedSinceStart;

  /** What the printer itself is doing, under the failed jobs /health may show over it. */
  private ConnectorStatus.State ownState = ConnectorStatus.State.CONNECTING;

  private String ownDetail = "";
  private ScheduledFuture<?> nextStep;

  PrinterWorker(
      PrinterConfig config,
      PrinterLink link,
      PrintQueue queue,
      ReadPool reads,
      StoreWriter writer,
      Map<String, LabelTemplate> containerTemplates,
      Counter printedLabels) {
    this.config = config;
    this.containerTemplates = containerTemplates;
    this.link = link;
    this.queue = queue;
    this.reads = reads;
    this.writer = writer;
    this.printedLabels = printedLabels;
    this.thread = ConnectorThread.create("printer-" + config.id(), log, failure -> stepFailed());
    this.status =
        new ConnectorStatus(
            "printer:" + config.id(),
            ConnectorStatus.State.CONNECTING,
            "starting on " + config.port(),
            Instant.now(),
            0);
  }

  String id() {
    return config.id();
  }

  void start() {
    thread.execute(this::step);
  }

  /**
   * New labels were queued: look now instead of at the next status poll (but not during a backoff).
   */
  void wake() {
    try {
      thread.execute(
          () -> {
            if (failedRounds == 0 && nextStep != null && nextStep.cancel(false)) {
              step();
            }
          });
    } catch (RejectedExecutionException e) {
      // Shutting down: the queue is in the database and is read again at the next start.
    }
  }

  /**
   * What the printer is doing; a step that has not come back for longer than any I/O of it may take
   * (a status query, a write held by flow control) shows as stuck rather than as the last state it
   * reported.
   */
  ConnectorStatus status() {
    Instant started = stepStartedAt;
    if (started != null && Duration.between(started, Instant.now()).compareTo(STUCK) > 0) {
      return new ConnectorStatus(
          status.name(),
          ConnectorStatus.State.DOWN,
          "worker stuck since " + started + " (" + status.detail() + ")",
          started,
          faults);
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
      failedRounds = 0;
    } catch (PrinterUnavailableException e) {
      // A printer that is only silent (paper out, head open) keeps its buffer and resumes it;
      // anything else may have cut a write short.
      if (e.reason() != PrinterUnavailableException.Reason.NO_ANSWER) {
        inDoubt = true;
      }
      failedRounds = 0;
      fault(e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    } catch (Exception e) {
      // Labels may have been marked sent and not sent.
      inDoubt = true;
      next = roundFailed(e);
    } catch (Error e) {
      // Not caught to go on: the JVM itself is in trouble. The printer shows why it stopped.
      status =
          new ConnectorStatus(
              status.name(),
              ConnectorStatus.State.DOWN,
              "worker stopped: " + e,
              Instant.now(),
              faults);
      throw e;
    } finally {
      stepStartedAt = null;
    }
    plan(next);
  }

  /**
   * Something on the worker's thread threw past the step's own handling: as after any failure, what
   * was handed to the printer is in doubt, and the printer is asked again at the next poll.
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

  /**
   * The queue could not be read or written, or a bug: DOWN with the reason, and tried again with
   * backoff.
   */
  private Duration roundFailed(Exception e) {
    Duration retry = RETRY.delay(++failedRounds);
    if (failedRounds == 1) {
      log.error(
          "Printer {}: the print queue could not be read or written; trying again", config.id(), e);
    } else {
      log.warn(
          "Printer {}: the print queue could not be read or written ({} in a row): {}",
          config.id(),
          failedRounds,
          describe(e));
    }
    show(
        ConnectorStatus.State.DOWN,
        "print queue failed: " + describe(e) + "; retrying in " + retry.toMillis() + " ms");
    return retry;
  }

  /**
   * One round with a printer that answered: settle what it printed, send more, say when to look
   * again.
   */
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
      // Jobs may be left that wait for their lot's release (PrintQueue.next skips them).
      long held = reads.read(c -> PrintQueue.waiting(c, config.id()));
      up(
          held == 0
              ? "ready, queue empty"
              : "ready; " + held + " label(s) of lots on hold wait for their release");
      return config.statusInterval();
    }
    try (LogContext context =
        LogContext.of(current.get().line(), Optional.of(current.get().lot()))) {
      return print(current.get(), printer);
    }
  }

  /**
   * One round of the job at the head of the queue: settle what the printer has printed, send what
   * fits.
   */
  private Duration print(PrintJob job, PrinterStatus printer) throws Exception {
    if (job.outstanding() > 0 && inDoubt) {
      // Handed over before a restart, a lost connection or a failed write: whether they printed,
      // are still in the printer or never arrived whole (the printer may hold a prefix of a
      // broken write), the printer cannot say. An operator settles them; sending them again
      // could print a serial twice.
      log.warn(
          "Printer {}: {} label(s) of job {} (lot {}) were handed over before a restart, a lost connection or a failed write; listed as uncertain for an operator",
          config.id(),
          job.outstanding(),
          job.id(),
          job.lot());
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
    if (!job.mayPrint()) {
      return heldBack(job);
    }
    int sent = job.sent();
    int room = Math.min(WINDOW - job.outstanding(), job.labels() - sent);
    while (room > 0) {
      Rendered chunk = render(job, sent, Math.min(CHUNK, room));
      if (chunk.labels() > 0) {
        send(job, sent + chunk.labels(), chunk.zpl());
        sent += chunk.labels();
        room -= chunk.labels();
      }
      if (chunk.failure().isPresent()) {
        return cannotRender(
            job, sent, "label " + (sent + 1) + " cannot be printed: " + chunk.failure().get());
      }
    }
    up(
        "printing job "
            + job.id()
            + " (lot "
            + job.lot()
            + "): "
            + job.settled()
            + " of "
            + job.labels()
            + " printed");
    return PRINTING_POLL;
  }

  /**
   * The job's lot was held or recalled: nothing more is sent. Once the labels in the printer are
   * settled, a held job waits for its lot's release behind the others ({@link PrintQueue#next}),
   * and a recalled one is cancelled.
   */
  private Duration heldBack(PrintJob job) throws Exception {
    if (job.outstanding() > 0) {
      up(
          "job "
              + job.id()
              + " (lot "
              + job.lot()
              + ", "
              + job.lotStatus()
              + "): waiting for its "
              + job.outstanding()
              + " label(s) in the printer, then no more");
      return PRINTING_POLL;
    }
    if (job.lotStatus().equals("recalled")) {
      Instant now = Instant.now();
      int voided =
          writer
              .submit(tx -> queue.cancelRecalled(tx, job, config.id(), now))
              .get(30, TimeUnit.SECONDS);
      log.warn(
          "Printer {}: job {} of recalled lot {} cancelled after {} of {} labels; {} serial(s) voided",
          config.id(),
          job.id(),
          job.lot(),
          job.settled(),
          job.labels(),
          voided);
    }
    return Duration.ZERO;
  }

  /**
   * Whatever keeps a label from being rendered (a date six digits cannot carry, a field GS1 does
   * not allow, data that does not parse) is in the job's data, so trying again cannot help. A
   * failure to read the database is not: it is thrown, and the round is tried again.
   */
  private Rendered render(PrintJob job, int from, int count) throws SQLException {
    if (job.kind() == PrintJob.Kind.CONTAINER) {
      try {
        ContainerLabel label = reads.read(c -> PrintQueue.containerLabel(c, job.containerId()));
        LabelTemplate template =
            containerTemplates.get(label.product().orElse("") + "/" + label.level());
        if (template == null) {
          return new Rendered(
              "",
              0,
              Optional.of(
                  "no "
                      + label.level()
                      + " label template for product "
                      + label.product().orElse("?")
                      + " (products[].packaging)"));
        }
        return new Rendered(template.render(label.fields()), 1, Optional.empty());
      } catch (RuntimeException e) {
        return new Rendered("", 0, Optional.of(describe(e)));
      }
    }
    List<LabelData> labels;
    try {
      labels = reads.read(c -> PrintQueue.labels(c, job, from, count));
    } catch (RuntimeException e) {
      return new Rendered("", 0, Optional.of(describe(e)));
    }
    StringBuilder zpl = new StringBuilder(labels.size() * 600);
    for (int i = 0; i < labels.size(); i++) {
      try {
        zpl.append(config.template().render(LabelFields.of(labels.get(i))));
      } catch (RuntimeException e) {
        return new Rendered(zpl.toString(), i, Optional.of(describe(e)));
      }
    }
    return new Rendered(zpl.toString(), labels.size(), Optional.empty());
  }

  /**
   * Label {@code sent + 1} cannot be rendered. Once the printer has reported on the labels before
   * it, the job fails: it finishes without the rest, the ERP gets {@code label.failed}, and the
   * next job prints.
   */
  private Duration cannotRender(PrintJob job, int sent, String reason) throws Exception {
    int inPrinter = sent - job.settled();
    if (inPrinter > 0) {
      show(
          ConnectorStatus.State.DOWN,
          "job "
              + job.id()
              + " (lot "
              + job.lot()
              + "): "
              + reason
              + "; the job fails once the printer has reported on the "
              + inPrinter
              + " label(s) before it");
      return PRINTING_POLL;
    }
    Instant now = Instant.now();
    writer
        .submit(
            tx -> {
              queue.markFailed(tx, job, config.id(), reason, now);
              return null;
            })
        .get(30, TimeUnit.SECONDS);
    log.error(
        "Printer {}: job {} of lot {} failed after {} of {} labels: {}; label.failed sent to the ERP, the next job prints",
        config.id(),
        job.id(),
        job.lot(),
        job.settled(),
        job.labels(),
        reason);
    if (failedJobs.size() == FAILED_SHOWN) {
      failedJobs.removeFirst();
    }
    failedJobs.addLast(
        "job "
            + job.id()
            + " (lot "
            + job.lot()
            + ") failed: "
            + reason
            + "; "
            + (job.labels() - job.settled())
            + " label(s) not printed");
    failedSinceStart++;
    return Duration.ZERO;
  }

  /**
   * Marked sent ({@code sentThrough} labels of the job) before the bytes leave: after a crash they
   * are known to be in doubt.
   */
  private void send(PrintJob job, int sentThrough, String zpl) throws Exception {
    writer
        .submit(
            tx -> {
              PrintQueue.markSent(tx, job.id(), sentThrough);
              return null;
            })
        .get(30, TimeUnit.SECONDS);
    link.send(zpl.getBytes(StandardCharsets.UTF_8));
  }

  private PrintJob settle(PrintJob job, int through, boolean uncertain) throws Exception {
    Instant now = Instant.now();
    return writer
        .submit(
            tx ->
                uncertain
                    ? queue.markUncertain(tx, job, through, config.id(), now)
                    : queue.markPrinted(tx, job, through, config.id(), now))
        .get(30, TimeUnit.SECONDS);
  }

  private void fault(String reason) {
    Instant now = Instant.now();
    if (faultSince.isEmpty()) {
      faultSince = Optional.of(now);
      faults++;
      log.warn("Printer {}: {}; the queue holds", config.id(), reason);
    }
    show(ConnectorStatus.State.DOWN, reason);
    if (!alarmRaised
        && Duration.between(faultSince.get(), now).compareTo(config.faultAlarm()) >= 0) {
      raiseAlarm(reason, faultSince.get(), now);
    }
  }

  /** The ERP hears of a fault that has held labels longer than the alarm time, once per fault. */
  private void raiseAlarm(String reason, Instant since, Instant now) {
    try {
      Optional<PrintJob> job = reads.read(c -> PrintQueue.next(c, config.id()));
      if (job.isPresent()) {
        writer
            .submit(
                tx -> {
                  queue.appendFailed(tx, job.get(), config.id(), reason, since, now);
                  return null;
                })
            .get(30, TimeUnit.SECONDS);
        log.warn(
            "Printer {}: {} for {} s with labels waiting; label.failed sent to the ERP",
            config.id(),
            reason,
            Duration.between(since, now).toSeconds());
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
      log.info(
          "Printer {}: ready again after {} s; printing resumes",
          config.id(),
          Duration.between(faultSince.get(), Instant.now()).toSeconds());
    }
    faultSince = Optional.empty();
    alarmRaised = false;
  }

  private void up(String detail) {
    show(ConnectorStatus.State.UP, detail);
  }

  /**
   * An operator has dealt with the labels of the failed jobs (made them another way): {@code
   * /health} shows the printer's own state again. Runs on the worker's thread; completes with how
   * many failed jobs were acknowledged.
   */
  CompletableFuture<Integer> acknowledgeFailedJobs(String by) {
    CompletableFuture<Integer> acknowledged = new CompletableFuture<>();
    thread.execute(
        () -> {
          int jobs = failedSinceStart;
          if (jobs > 0) {
            log.info(
                "Printer {}: {} failed job(s) acknowledged by {}: {}",
                config.id(),
                jobs,
                by,
                String.join("; ", failedJobs));
          }
          failedJobs.clear();
          failedSinceStart = 0;
          show(ownState, ownDetail);
          acknowledged.complete(jobs);
        });
    return acknowledged;
  }

  /**
   * A job that failed keeps the printer DOWN, named, until acknowledged: its labels need an
   * operator.
   */
  private void show(ConnectorStatus.State state, String detail) {
    ownState = state;
    ownDetail = detail;
    ConnectorStatus.State shown = failedJobs.isEmpty() ? state : ConnectorStatus.State.DOWN;
    String full = failedJobs.isEmpty() ? detail : detail + "; " + failedJobsNote();
    if (status.state() != shown || !status.detail().equals(full)) {
      status =
          new ConnectorStatus(
              status.name(),
              shown,
              full,
              status.state() == shown ? status.since() : Instant.now(),
              faults);
    }
  }

  private String failedJobsNote() {
    String shown = String.join("; ", failedJobs);
    return failedSinceStart > failedJobs.size()
        ? shown + " (" + failedSinceStart + " jobs failed)"
        : shown;
  }

  private static String describe(Throwable e) {
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
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
