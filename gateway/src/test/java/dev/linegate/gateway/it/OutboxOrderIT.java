package dev.linegate.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.linegate.connectors.Backoff;
import dev.linegate.gateway.config.ErpConfig;
import dev.linegate.gateway.core.CoreThread;
import dev.linegate.gateway.outbox.ErpRoutes;
import dev.linegate.gateway.outbox.EventType;
import dev.linegate.gateway.outbox.Outbox;
import dev.linegate.gateway.outbox.OutboxDispatcher;
import dev.linegate.gateway.store.Database;
import dev.linegate.gateway.store.ReadPool;
import dev.linegate.gateway.store.StoreWriter;
import dev.linegate.simulator.erp.ErpEvent;
import dev.linegate.simulator.erp.SimulatedErp;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several events per lot, an ERP that fails some of them at first: each lot's events still arrive
 * in order.
 */
class OutboxOrderIT {

  @TempDir Path dir;

  @Test
  void eventsOfALotArriveInOrderEvenWhenSomeAreRetried() throws Exception {
    ObjectMapper json = new ObjectMapper();
    Backoff backoff = new Backoff(Duration.ofMillis(20), Duration.ofMillis(200));
    Set<String> failedOnce = ConcurrentHashMap.newKeySet();
    try (SimulatedErp erp = SimulatedErp.start(0)) {
      // Every third event is refused with 503 the first time it comes.
      erp.respondWith(503, e -> e.data().get("seq").asInt() % 3 == 0 && failedOnce.add(e.id()));
      Database database = Database.open(dir);
      ErpConfig config =
          new ErpConfig(
              Optional.of(URI.create(erp.url())),
              Optional.empty(),
              Optional.empty(),
              Optional.empty(),
              Map.of(),
              backoff,
              backoff,
              8,
              5000,
              7);
      try (StoreWriter writer = new StoreWriter(database, 1000, CoreThread.Fatal.NONE);
          ReadPool reads = new ReadPool(database, 2);
          ErpRoutes routes = ErpRoutes.start(config);
          OutboxDispatcher dispatcher =
              new OutboxDispatcher(
                  reads,
                  writer,
                  routes,
                  config,
                  new SimpleMeterRegistry(),
                  CoreThread.Fatal.NONE)) {
        Outbox outbox = new Outbox(json, "edge-test", List.of("http"));
        List<String> lots = List.of("LOT-A", "LOT-B", "LOT-C", "LOT-D", "LOT-E");
        for (int seq = 0; seq < 10; seq++) {
          for (String lot : lots) {
            ObjectNode data = json.createObjectNode().put("lot", lot).put("seq", seq);
            writer.submit(
                tx -> {
                  outbox.append(
                      tx, EventType.LOT_STATUS_CHANGED, "L1", lot, Instant.now(), data.toString());
                  return null;
                });
          }
        }
        dispatcher.start();

        await().atMost(Duration.ofSeconds(30)).until(() -> erp.events().size() == 50);
        Map<String, List<Integer>> arrival =
            erp.events().stream()
                .collect(
                    Collectors.groupingBy(
                        e -> e.data().get("lot").asText(),
                        Collectors.mapping(
                            (ErpEvent e) -> e.data().get("seq").asInt(), Collectors.toList())));
        assertThat(failedOnce).hasSizeGreaterThanOrEqualTo(20);
        for (String lot : lots) {
          assertThat(arrival.get(lot)).as(lot).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
        }
      }
    }
  }
}
