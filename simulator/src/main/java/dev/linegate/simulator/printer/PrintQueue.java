package dev.linegate.simulator.printer;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The print buffer and the print engine. Received labels wait here; one thread prints them, at once
 * or at a set speed. A fault stops the engine between labels: a label whose printing time had not
 * elapsed when the fault came stays at the head of the buffer, so after the fault clears printing
 * resumes with it and no label is lost or printed twice.
 */
final class PrintQueue implements AutoCloseable {

  /**
   * What {@code ~HS} reports, with a real Zebra's meaning of its counters.
   *
   * @param formatsInBuffer formats received and not yet started printing ({@code ~HS} line 1,
   *     {@code eee})
   * @param labelsRemaining labels still to print in the batch ({@code ^PQ}) of the format being
   *     printed now, the one printing counted; 0 when no format has started ({@code ~HS} line 2,
   *     {@code uuuuuuuu})
   * @param labelsPending every copy received and not printed yet (not a {@code ~HS} field; for
   *     tests and the control API)
   */
  record Snapshot(
      PrinterFault fault, int formatsInBuffer, int labelsRemaining, int labelsPending) {}

  /** One copy of one format, waiting. */
  private record Copy(LabelContent content, int copy) {
    boolean last() {
      return copy == content.copies();
    }
  }

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final Deque<Copy> buffer = new ArrayDeque<>();
  private final List<PrintedLabel> printed = new ArrayList<>();
  private final Thread engine;
  private long printedCount;

  /**
   * The engine has begun printing the format at the head of the buffer: it is no longer counted as
   * waiting but as the batch being printed, also while a fault holds it.
   */
  private boolean headStarted;

  private PrinterFault fault = PrinterFault.NONE;
  private boolean powered = true;
  private boolean closed;

  /** 0: instant. */
  private double labelsPerSecond;

  PrintQueue(String name) {
    engine = new Thread(this::run, name + "-engine");
    engine.setDaemon(true);
    engine.start();
  }

  void submit(LabelContent content) {
    withLock(
        () -> {
          for (int copy = 1; copy <= content.copies(); copy++) {
            buffer.add(new Copy(content, copy));
          }
        });
  }

  Snapshot snapshot() {
    lock.lock();
    try {
      int formats = (int) buffer.stream().filter(Copy::last).count();
      Copy head = buffer.peekFirst();
      if (head == null || !headStarted) {
        return new Snapshot(fault, formats, 0, buffer.size());
      }
      int batchLeft = head.content().copies() - head.copy() + 1;
      return new Snapshot(fault, formats - 1, batchLeft, buffer.size());
    } finally {
      lock.unlock();
    }
  }

  List<PrintedLabel> printed() {
    lock.lock();
    try {
      return List.copyOf(printed);
    } finally {
      lock.unlock();
    }
  }

  void clearPrinted() {
    withLock(printed::clear);
  }

  PrinterFault fault() {
    return snapshot().fault();
  }

  void fault(PrinterFault newFault) {
    withLock(() -> fault = newFault);
  }

  void speed(double newLabelsPerSecond) {
    if (!(newLabelsPerSecond >= 0) || Double.isInfinite(newLabelsPerSecond)) {
      throw new IllegalArgumentException(
          "labelsPerSecond must be 0 (instant) or more, not " + newLabelsPerSecond);
    }
    withLock(() -> labelsPerSecond = newLabelsPerSecond);
  }

  /** Off: the engine stops, as in a fault, and the buffer is kept. */
  void powered(boolean on) {
    withLock(() -> powered = on);
  }

  @Override
  public void close() {
    withLock(() -> closed = true);
    try {
      engine.join(TimeUnit.SECONDS.toMillis(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void run() {
    lock.lock();
    try {
      while (!closed) {
        if (!canPrint()) {
          changed.await();
          continue;
        }
        headStarted = true;
        if (labelsPerSecond > 0) {
          long deadline =
              System.nanoTime() + (long) (TimeUnit.SECONDS.toNanos(1) / labelsPerSecond);
          long left;
          while (canPrint() && (left = deadline - System.nanoTime()) > 0) {
            changed.awaitNanos(left);
          }
          if (!canPrint()) {
            continue;
          }
        }
        Copy next = buffer.removeFirst();
        if (next.last()) {
          headStarted = false;
        }
        LabelContent content = next.content();
        printed.add(
            new PrintedLabel(
                ++printedCount,
                next.copy(),
                content.copies(),
                content.texts(),
                content.barcodes(),
                content.zpl()));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      lock.unlock();
    }
  }

  private boolean canPrint() {
    return !closed && powered && fault == PrinterFault.NONE && !buffer.isEmpty();
  }

  private void withLock(Runnable change) {
    lock.lock();
    try {
      change.run();
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }
}
