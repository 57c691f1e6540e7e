package dev.linegate.simulator.erp;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** What the ERP has seen: unique events in arrival order and counts of the rest. */
final class EventLog {
  private final Set<String> keys = new HashSet<>();
  private final List<ErpEvent> events = new ArrayList<>();
  private long received;
  private long duplicates;
  private long rejected;

  synchronized void countReceived() {
    received++;
  }

  synchronized void countRejected() {
    rejected++;
  }

  /** Records an accepted event; false when its Idempotency-Key was seen before. */
  synchronized boolean accept(ErpEvent event) {
    if (!keys.add(event.key())) {
      duplicates++;
      return false;
    }
    events.add(event);
    return true;
  }

  synchronized List<ErpEvent> events() {
    return List.copyOf(events);
  }

  synchronized ErpStats stats() {
    return new ErpStats(received, events.size(), duplicates, rejected);
  }
}
