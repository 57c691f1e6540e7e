package dev.linegate.gateway.traceability;

import dev.linegate.gateway.lots.LotStatusHistory;
import java.util.List;
import java.util.Map;

/** One lot with how many of its serials are in each status and its status changes, oldest first. */
public record LotDetail(
    LotView lot, Map<String, Long> serialCounts, List<LotStatusHistory.Change> statusHistory) {}
