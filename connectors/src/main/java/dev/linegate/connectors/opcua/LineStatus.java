package dev.linegate.connectors.opcua;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a line's handshake is doing, its last error and how many batches it has acknowledged:
 * written on the line's thread, read by /health and the metrics from any thread.
 */
final class LineStatus {

  private static final Logger log = LoggerFactory.getLogger(LineStatus.class);

  private final String line;
  private final AtomicLong acknowledged = new AtomicLong();
  private volatile OpcUaLineState state =
      new OpcUaLineState(
          OpcUaLineState.Phase.CONNECTING, Optional.empty(), Optional.empty(), Instant.now());

  LineStatus(String line) {
    this.line = line;
  }

  OpcUaLineState state() {
    return state;
  }

  long acknowledged() {
    return acknowledged.get();
  }

  void acknowledgedOne() {
    acknowledged.incrementAndGet();
  }

  /** Logs the problem and keeps it, stamped, as the line's last error. */
  void problem(String message) {
    log.warn("Line {}: {}", line, message);
    OpcUaLineState s = state;
    String stamped = message + " (at " + Instant.now().truncatedTo(ChronoUnit.SECONDS) + ")";
    state = new OpcUaLineState(s.phase(), s.batchId(), Optional.of(stamped), Instant.now());
  }

  void phase(OpcUaLineState.Phase phase, Optional<String> batchId) {
    OpcUaLineState s = state;
    if (s.phase() != phase || !s.batchId().equals(batchId)) {
      state = new OpcUaLineState(phase, batchId, s.lastError(), Instant.now());
    }
  }
}
