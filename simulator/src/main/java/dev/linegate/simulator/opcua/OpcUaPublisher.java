package dev.linegate.simulator.opcua;

import dev.linegate.simulator.BatchPublisher;
import dev.linegate.simulator.Signalled;
import dev.linegate.simulator.mqtt.BatchMessage;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Batches raised on an {@link OpcUaPlc} through the Ready/Ack handshake, for the generators and the
 * load run. A signal is acknowledged when the gateway's Ack is seen, that is once its lot is
 * committed; its latency is Ready raised to Ack seen.
 *
 * <p>A line holds one batch at a time and raises the next as soon as Ack drops. Each line has at
 * most {@link #PER_LINE} batches on their way: {@link #signal} blocks beyond that, so a generator
 * asked for more than the handshake can do runs at the handshake's pace. Generators take lines in
 * turn: a window of one or two would hold every line to the slowest one's step (one waiting a
 * publishing interval for a poll stalls all); a deeper one lets lines run independently.
 */
public final class OpcUaPublisher implements BatchPublisher {
  static final int PER_LINE = 16;

  private final OpcUaPlc plc;
  private final Map<String, Semaphore> slots = new ConcurrentHashMap<>();
  private final Set<CompletableFuture<Signalled>> pending = ConcurrentHashMap.newKeySet();

  public OpcUaPublisher(OpcUaPlc plc) {
    this.plc = plc;
  }

  @Override
  public String nextBatchId(String line) {
    return plc.nextBatchId(line);
  }

  @Override
  public String destination(String line) {
    return plc.endpointUrl() + " " + line;
  }

  @Override
  public CompletableFuture<Signalled> signal(BatchMessage batch) {
    Semaphore slot = slots.computeIfAbsent(batch.line(), l -> new Semaphore(PER_LINE));
    slot.acquireUninterruptibly();
    CompletableFuture<Signalled> signalled =
        plc.raiseTimed(batch.line(), batch.batchId(), batch.product(), batch.quantity());
    pending.add(signalled);
    // The slot is freed before anyone waiting on this signal hears of it (see awaitAcks).
    return signalled.whenComplete(
        (done, error) -> {
          pending.remove(signalled);
          slot.release();
        });
  }

  @Override
  public boolean awaitAcks(Duration timeout) throws InterruptedException {
    try {
      CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new))
          .get(timeout.toNanos(), TimeUnit.NANOSECONDS);
      return true;
    } catch (ExecutionException e) {
      return true; // a failed signal is done too; its own future says how
    } catch (TimeoutException e) {
      return false;
    }
  }
}
