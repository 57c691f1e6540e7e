package dev.linegate.gateway.traceability;

import java.time.LocalDate;
import java.util.List;

/**
 * A serial with its lot and its story (assigned, printed, reprinted, lot held ...), in time order.
 */
public record SerialView(
    SerialRef ref,
    String product,
    String batchId,
    LocalDate productionDate,
    LocalDate expiryDate,
    List<SerialHistoryEntry> history) {}
