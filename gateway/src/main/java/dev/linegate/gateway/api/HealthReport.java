package dev.linegate.gateway.api;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.linegate.connectors.ConnectorStatus;
import dev.linegate.gateway.outbox.OutboxStats;
import dev.linegate.gateway.pools.PoolStatus;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** Every connection's state in one answer: UP only when all of them are. */
public final class HealthReport {

  private final Supplier<List<ConnectorStatus>> connectors;
  private final Supplier<Map<String, OutboxStats>> outbox;
  private final Supplier<List<PoolStatus>> pools;

  public HealthReport(
      Supplier<List<ConnectorStatus>> connectors,
      Supplier<Map<String, OutboxStats>> outbox,
      Supplier<List<PoolStatus>> pools) {
    this.connectors = connectors;
    this.outbox = outbox;
    this.pools = pools;
  }

  ObjectNode toJson() {
    ObjectNode health = JsonNodeFactory.instance.objectNode();
    List<ConnectorStatus> statuses = connectors.get();
    health.put("status", statuses.stream().allMatch(ConnectorStatus::up) ? "UP" : "DOWN");
    var checks = health.putArray("checks");
    for (ConnectorStatus status : statuses) {
      ObjectNode check = checks.addObject();
      check.put("name", status.name());
      check.put("status", status.up() ? "UP" : "DOWN");
      check.put("state", status.state().name());
      check.put("detail", status.detail());
      check.put("since", status.since().toString());
      check.put("reconnects", status.reconnects());
    }
    // All outputs together, then each (SPEC section 13).
    Map<String, OutboxStats> byOutput = outbox.get();
    long now = System.currentTimeMillis();
    ObjectNode all = health.putObject("outbox");
    all.put("pending", byOutput.values().stream().mapToLong(OutboxStats::pending).sum());
    all.put("dead", byOutput.values().stream().mapToLong(OutboxStats::dead).sum());
    all.put(
        "oldestPendingAgeSeconds",
        byOutput.values().stream()
            .mapToDouble(stats -> stats.oldestPendingAgeSeconds(now))
            .max()
            .orElse(0));
    ObjectNode outputs = all.putObject("outputs");
    byOutput.forEach(
        (name, stats) -> {
          ObjectNode output = outputs.putObject(name);
          output.put("pending", stats.pending());
          output.put("dead", stats.dead());
          output.put("oldestPendingAgeSeconds", stats.oldestPendingAgeSeconds(now));
        });
    // Serial pools (SPEC section 8): a low pool is a warning, not DOWN; a line held for serials is.
    List<PoolStatus> poolStatuses = pools.get();
    if (!poolStatuses.isEmpty()) {
      var list = health.putArray("pools");
      poolStatuses.forEach(pool -> list.add(pool(pool)));
    }
    return health;
  }

  /** A pool as {@code /health} and {@code GET /api/pools} show it. */
  static ObjectNode pool(PoolStatus pool) {
    ObjectNode json = JsonNodeFactory.instance.objectNode();
    json.put("gtin", pool.gtin());
    json.put("provider", pool.provider());
    json.put("available", pool.available());
    if (pool.hoursLeft().isPresent()) {
      json.put("hoursLeft", Math.round(pool.hoursLeft().getAsDouble() * 10) / 10.0);
    } else {
      json.putNull("hoursLeft");
    }
    json.put("state", pool.state());
    json.put("lastError", pool.lastError().orElse(null));
    return json;
  }
}
