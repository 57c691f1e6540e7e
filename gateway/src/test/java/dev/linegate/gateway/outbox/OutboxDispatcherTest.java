package dev.linegate.gateway.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.linegate.connectors.Backoff;
import dev.linegate.connectors.ConnectorStatus;
import dev.linegate.gateway.auth.Actor;
import dev.linegate.gateway.auth.Role;
import dev.linegate.gateway.config.ErpConfig;
import dev.linegate.gateway.core.CoreThread;
import dev.linegate.gateway.store.Database;
import dev.linegate.gateway.store.ReadPool;
import dev.linegate.gateway.store.StoreWriter;
import dev.linegate.simulator.erp.ErpEvent;
import dev.linegate.simulator.erp.SimulatedErp;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dispatcher against a real SQLite outbox and the simulator's HTTP ERP, without the rest of the
 * gateway: what becomes of a refused event and of its lot, and of an ERP that goes away.
 */
class OutboxDispatcherTest {

  private static final Actor SUPERVISOR = new Actor("sam", Role.SUPERVISOR, Optional.empty());

  /** A store that has not committed an outcome for this long is the output's DOWN. */
  private static final long STALLED_AFTER_MS = 2_000;

  private static final Backoff FAST = new Backoff(Duration.ofMillis(20), Duration.ofMillis(200));
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  private SimulatedErp erp;
  private StoreWriter writer;
  private ReadPool reads;
  private ErpRoutes routes;
  private OutboxDispatcher dispatcher;
  private final Outbox outbox = new Outbox(JSON, "edge-test", List.of("http"));

  @BeforeEach
  void start() throws Exception {
    erp = SimulatedErp.start(0);
    Database database = Database.open(dir);
    writer = new StoreWriter(database, 1000, CoreThread.Fatal.NONE);
    reads = new ReadPool(database, 2);
    ErpConfig config =
        new ErpConfig(
            Optional.of(URI.create(erp.url())),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Map.of(),
            FAST,
            FAST,
            4,
            5000,
            7);
    routes = ErpRoutes.start(config);
    dispatcher =
        new OutboxDispatcher(
            reads,
            writer,
            routes,
            config,
            new SimpleMeterRegistry(),
            CoreThread.Fatal.NONE,
            STALLED_AFTER_MS);
  }

  @AfterEach
  void stop() throws Exception {
    dispatcher.close();
    routes.close();
    reads.close();
    writer.close();
    erp.close();
  }

  /**
   * A 4xx is the ERP's final word on one event: that lot waits for an operator, the others go on.
   */
  @Test
  void aRefusedEventIsADeadLetterThatHoldsItsLotUntilReleased() throws Exception {
    erp.respondWith(
        400,
        e -> e.data().path("lot").asText().equals("LOT-A") && e.data().path("seq").asInt() == 0);
    append("LOT-A", 0);
    append("LOT-A", 1);
    append("LOT-B", 0);
    dispatcher.start();

    await().atMost(Duration.ofSeconds(10)).until(() -> state(firstOf("LOT-A")).equals("dead"));
    await().atMost(Duration.ofSeconds(10)).until(() -> delivered("LOT-B").equals(List.of(0)));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> dispatcher.stats().dead() == 1 && dispatcher.stats().pending() == 1);
    assertThat(delivered("LOT-A"))
        .as("LOT-A's second event waits behind its dead letter")
        .isEmpty();
    assertThat(dispatcher.status().state())
        .as("a refusal is an answer: the ERP is reachable")
        .isEqualTo(ConnectorStatus.State.UP);

    erp.behaveNormally();
    assertThat(dispatcher.retry(firstOf("LOT-A"), SUPERVISOR)).contains(true);
    await().atMost(Duration.ofSeconds(10)).until(() -> delivered("LOT-A").equals(List.of(0, 1)));
    assertThat(dispatcher.retry(firstOf("LOT-A"), SUPERVISOR)).as("no longer dead").contains(false);
    assertThat(dispatcher.retry(999_999, SUPERVISOR)).isEmpty();
  }

  /** Every event's attempt fails while the ERP is away; all of them go once it is back. */
  @Test
  void anUnreachableErpIsDownInHealthAndEveryEventGoesOnceItIsBack() throws Exception {
    erp.refuseConnections();
    for (int lot = 0; lot < 50; lot++) {
      append("LOT-" + lot, 0);
    }
    dispatcher.start();

    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> dispatcher.status().state() == ConnectorStatus.State.DOWN);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                dispatcher
                    .status()
                    .detail()
                    .matches("unreachable for \\d+ s: .*; [1-9]\\d* probes failed, .*"));
    erp.acceptConnections();

    await().atMost(Duration.ofSeconds(10)).until(() -> erp.events().size() == 50);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> dispatcher.status().state() == ConnectorStatus.State.UP);
    assertThat(erp.duplicates()).isZero();
  }

  /**
   * The loop keeps an event in flight until it has seen its outcome committed: a store that does
   * not commit stops the deliveries, and /health must say so rather than "delivering".
   */
  @Test
  void deliveriesHeldUpByAStoreThatDoesNotCommitAreDownInHealth() throws Exception {
    append("LOT-A", 0);
    CountDownLatch holding = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    writer.submit(
        tx -> {
          holding.countDown();
          try {
            return release.await(90, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.sql.SQLException(e);
          }
        });
    assertThat(holding.await(10, TimeUnit.SECONDS)).isTrue();
    dispatcher.start();
    await().atMost(Duration.ofSeconds(10)).until(() -> erp.events().size() == 1);

    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> dispatcher.status().state() == ConnectorStatus.State.DOWN);
    assertThat(dispatcher.status().detail())
        .matches("deliveries stopped: the outcomes of 1 attempts have waited \\d+ s for the store");

    release.countDown();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> dispatcher.status().state() == ConnectorStatus.State.UP);
    await().atMost(Duration.ofSeconds(10)).until(() -> state(firstOf("LOT-A")).equals("delivered"));
    assertThat(erp.duplicates()).isZero();
  }

  private void append(String lot, int seq) throws Exception {
    String data = JSON.createObjectNode().put("lot", lot).put("seq", seq).toString();
    writer
        .submit(
            tx -> {
              outbox.append(tx, EventType.LOT_STATUS_CHANGED, "L1", lot, Instant.now(), data);
              return null;
            })
        .get(10, TimeUnit.SECONDS);
  }

  private long firstOf(String lot) throws Exception {
    return reads.read(
        c -> {
          try (PreparedStatement select =
              c.prepareStatement("SELECT min(id) FROM outbox WHERE subject = ?")) {
            select.setString(1, lot);
            try (ResultSet row = select.executeQuery()) {
              row.next();
              return row.getLong(1);
            }
          }
        });
  }

  private String state(long id) throws Exception {
    return reads.read(
        c -> {
          try (PreparedStatement select =
              c.prepareStatement("SELECT state FROM outbox WHERE id = ?")) {
            select.setLong(1, id);
            try (ResultSet row = select.executeQuery()) {
              row.next();
              return row.getString(1);
            }
          }
        });
  }

  /** The seq of each event of {@code lot} the ERP has, in the order it got them. */
  private List<Integer> delivered(String lot) {
    return erp.events().stream()
        .filter(e -> e.data().path("lot").asText().equals(lot))
        .map((ErpEvent e) -> e.data().path("seq").asInt())
        .toList();
  }
}
