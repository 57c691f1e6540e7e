package dev.linegate.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.linegate.gateway.store.Database;
import dev.linegate.simulator.erp.SimulatedErp;
import dev.linegate.simulator.l4.SimulatedL4;
import dev.linegate.simulator.mqtt.MqttPlc;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Serials from a provider's pool (SPEC section 8), with the gateway's jar, a real broker and the
 * simulator's L4 over HTTP: two gateways share one number space, and a batch the pool cannot serve
 * waits, unacknowledged, until the provider has given more.
 */
class SerialPoolsIT {

  private static final Duration PATIENCE = Duration.ofSeconds(60);
  private static final String GTIN = TestConfig.WIDGET_GTIN;

  @TempDir Path dir;
  private Mosquitto broker;
  private SimulatedErp erp;
  private MqttPlc plc;
  private SimulatedL4 l4;

  @BeforeEach
  void startTheWires() throws Exception {
    broker = Mosquitto.start(dir);
    erp = SimulatedErp.start(0);
    plc = MqttPlc.connect(broker.url(), MqttPlc.DEFAULT_TOPIC);
  }

  @AfterEach
  void stopTheWires() throws Exception {
    if (l4 != null) {
      l4.close();
    }
    plc.close();
    erp.close();
    broker.close();
  }

  /** The provider, answering {@code pageSize} serials a page; stopped after the test. */
  private void startL4(int pageSize) throws Exception {
    l4 = SimulatedL4.start("127.0.0.1", 0, pageSize);
  }

  @Test
  void twoGatewaysOnOneProviderNeverIssueTheSameSerialThroughManyRefills() throws Exception {
    startL4(250);
    Gw a = gateway("edge-a", "L1", 200, 500);
    Gw b = gateway("edge-b", "L2", 200, 500);
    try (GatewayProcess first = a.start();
        GatewayProcess second = b.start()) {
      a.api().awaitUp(PATIENCE);
      b.api().awaitUp(PATIENCE);
      int batches = 30;
      int units = 60;
      CompletableFuture<?>[] sent = new CompletableFuture<?>[2 * batches];
      for (int i = 0; i < batches; i++) {
        sent[2 * i] = plc.publish("L1", plc.nextBatchId("L1"), TestConfig.WIDGET, units);
        sent[2 * i + 1] = plc.publish("L2", plc.nextBatchId("L2"), TestConfig.WIDGET, units);
      }
      CompletableFuture.allOf(sent).get(30, TimeUnit.SECONDS);
      await().atMost(PATIENCE).until(() -> a.api().count("/api/lots") == batches);
      await().atMost(PATIENCE).until(() -> b.api().count("/api/lots") == batches);

      Set<String> ofA = serials(a);
      Set<String> ofB = serials(b);
      assertThat(ofA).hasSize(batches * units);
      assertThat(ofB).hasSize(batches * units);
      Set<String> both = new HashSet<>(ofA);
      both.retainAll(ofB);
      assertThat(both).as("serials issued by both gateways").isEmpty();
      Map<String, String> owners = l4.owners();
      assertThat(ofA).allSatisfy(s -> assertThat(owners.get(GTIN + "/" + s)).isEqualTo("edge-a"));
      assertThat(ofB).allSatisfy(s -> assertThat(owners.get(GTIN + "/" + s)).isEqualTo("edge-b"));
      assertThat(rows(a, "SELECT count(*) FROM pool_requests"))
          .as("refilled many times over")
          .isGreaterThan(3);

      JsonNode pool = a.api().get("/health").get("pools").get(0);
      assertThat(pool.get("gtin").asText()).isEqualTo(GTIN);
      assertThat(pool.get("provider").asText()).isEqualTo("l4");
      assertThat(pool.get("available").asInt()).isPositive();
      assertThat(a.api().metrics()).contains("linegate_serial_pool_available{gtin=\"" + GTIN);
    }
  }

  @Test
  void aBatchThePoolCannotServeWaitsUnacknowledgedAndCompletesWhenTheProviderGivesMore()
      throws Exception {
    startL4(100);
    l4.cap(GTIN, 150);
    Gw a = gateway("edge-a", "L1", 50, 200);
    try (GatewayProcess gateway = a.start()) {
      // The first request is filled in part: 150 of 200.
      await()
          .atMost(PATIENCE)
          .until(() -> a.api().reachable() && poolOf(a).path("available").asInt() == 150);
      assertThat(poolOf(a).get("lastError").asText()).contains("in part");
      // Subscribed before the first publish: mosquitto keeps nothing for a session not yet made.
      a.api().awaitUp(PATIENCE);

      plc.publish("L1", plc.nextBatchId("L1"), TestConfig.WIDGET, 100).get(10, TimeUnit.SECONDS);
      await().atMost(PATIENCE).until(() -> a.api().count("/api/lots") == 1);
      String held = plc.nextBatchId("L1");
      plc.publish("L1", held, TestConfig.WIDGET, 100).get(10, TimeUnit.SECONDS);
      await()
          .atMost(PATIENCE)
          .until(
              () ->
                  a.api()
                      .check("mqtt:L1")
                      .path("detail")
                      .asText()
                      .contains("waiting for serials: 1 batch(es); the first needs 100"));
      assertThat(a.api().check("mqtt:L1").get("status").asText()).isEqualTo("DOWN");
      assertThat(poolOf(a).get("state").asText()).isEqualTo("waiting");
      assertThat(a.api().count("/api/lots")).as("held, not rejected").isEqualTo(1);
      assertThat(a.api().count("/api/rejects")).isZero();

      // The provider away for a while, then back with serials to give.
      l4.refuseConnections();
      await()
          .atMost(PATIENCE)
          .until(() -> poolOf(a).path("lastError").asText().contains("unreachable"));
      l4.uncap(GTIN);
      l4.behaveNormally();
      await().atMost(Duration.ofMinutes(2)).until(() -> a.api().lotOfBatch("L1", held).isPresent());
      await()
          .atMost(PATIENCE)
          .until(() -> a.api().check("mqtt:L1").get("status").asText().equals("UP"));
      assertThat(serials(a)).hasSize(200);
    }
    assertThat(Files.readString(dir.resolve("edge-a.log"))).contains("waits for serials");
  }

  /**
   * Killed with -9 after the first page of a request is committed and before the rest: the
   * restarted gateway asks again under the same requestId, from the first page, and the pool ends
   * with exactly the serials the provider issued to it, none lost, none twice.
   */
  @Test
  void killedInTheMiddleOfAPagedRequestTheGatewayAsksAgainUnderTheSameIdAndLosesNothing()
      throws Exception {
    startL4(100);
    Gw a = gateway("edge-a", "L1", 10, 500);
    l4.respondSlowly(Duration.ofSeconds(2));
    GatewayProcess first = a.start();
    try {
      // Reachable: the database and its tables are made; the first page is 2 s away still.
      await().atMost(PATIENCE).until(() -> a.api().reachable());
      await().atMost(PATIENCE).until(() -> rows(a, "SELECT count(*) FROM pool_serials") >= 100);
      assertThat(rows(a, "SELECT count(*) FROM pool_serials")).isLessThan(500);
      assertThat(a.api().check("serial-pools").get("detail").asText())
          .as("what the pools' thread does now")
          .startsWith("asking provider l4 for 500 serials of " + GTIN + " (request ")
          .containsPattern("page [2-5]$");
    } finally {
      first.killHard();
    }
    l4.behaveNormally();
    try (GatewayProcess second = a.start()) {
      await().atMost(PATIENCE).until(() -> a.api().reachable());
      await().atMost(PATIENCE).until(() -> rows(a, "SELECT count(*) FROM pool_serials") == 500);
      await()
          .atMost(PATIENCE)
          .until(
              () -> rows(a, "SELECT count(*) FROM pool_requests WHERE finished_at IS NULL") == 0);
      assertThat(rows(a, "SELECT count(*) FROM pool_requests")).as("the same request").isEqualTo(1);
      assertThat(l4.owners().values()).hasSize(500).containsOnly("edge-a");
      a.api().awaitUp(PATIENCE);
      plc.publish("L1", plc.nextBatchId("L1"), TestConfig.WIDGET, 400).get(10, TimeUnit.SECONDS);
      await().atMost(PATIENCE).until(() -> a.api().count("/api/lots") == 1);
      assertThat(serials(a)).hasSize(400);
      assertThat(l4.owners().keySet())
          .containsAll(serials(a).stream().map(serial -> GTIN + "/" + serial).toList());
    }
  }

  /**
   * A product moved to another gateway: its unassigned serials go back to the provider and the pool
   * stops refilling; a batch of it waits; resumed, the pool fills again and the batch goes.
   */
  @Test
  void aReturnedPoolGivesItsSerialsBackAndWaitsUntilResumed() throws Exception {
    startL4(1000);
    Gw a = gateway("edge-a", "L1", 10, 300);
    try (GatewayProcess gateway = a.start()) {
      await()
          .atMost(PATIENCE)
          .until(() -> a.api().reachable() && poolOf(a).path("available").asInt() == 300);
      a.api().awaitUp(PATIENCE);
      String path = "/api/pools/" + GTIN + "/return";
      GatewayApi operator = a.api().as("op-ute", dev.linegate.gateway.auth.Role.OPERATOR);
      assertThat(operator.post(path, "{\"reason\": \"moved\"}").status()).isEqualTo(403);
      GatewayApi.Answer returned =
          a.api().post(path, "{\"reason\": \"WIDGET-100 moves to edge-b\"}");
      assertThat(returned.status()).as(returned.body().toString()).isEqualTo(200);
      assertThat(returned.body().get("returning").asInt()).isEqualTo(300);
      await().atMost(PATIENCE).until(() -> l4.returned().size() == 300);
      assertThat(poolOf(a).get("state").asText()).isEqualTo("suspended");
      assertThat(poolOf(a).get("available").asInt()).isZero();
      assertThat(a.api().post(path, "{\"reason\": \"again\"}").status()).isEqualTo(409);
      assertThat(a.api().get("/api/audit?limit=1").at("/items/0/action").asText())
          .isEqualTo("pool.return");

      String batch = plc.nextBatchId("L1");
      plc.publish("L1", batch, TestConfig.WIDGET, 50).get(10, TimeUnit.SECONDS);
      await()
          .atMost(PATIENCE)
          .until(
              () ->
                  a.api().check("mqtt:L1").path("detail").asText().contains("waiting for serials"));
      assertThat(a.api().post("/api/pools/" + GTIN + "/resume", "{}").status()).isEqualTo(200);
      await().atMost(PATIENCE).until(() -> a.api().lotOfBatch("L1", batch).isPresent());
      Set<String> used = serials(a);
      assertThat(used).hasSize(50);
      assertThat(used).noneMatch(serial -> l4.returned().contains(GTIN + "/" + serial));
    }
  }

  private static long rows(Gw gateway, String query) throws Exception {
    try (Connection c =
            DriverManager.getConnection("jdbc:sqlite:" + Database.fileIn(gateway.data()));
        ResultSet row = c.createStatement().executeQuery(query)) {
      return row.getLong(1);
    }
  }

  /** A gateway of its own directory, port and id, making WIDGET-100 on one line from the pool. */
  private record Gw(String id, Path config, Path data, Path log, GatewayApi api) {
    GatewayProcess start() throws Exception {
      return GatewayProcess.start(config, log);
    }
  }

  private Gw gateway(String id, String line, int lowWater, int request) throws Exception {
    Path home = Files.createDirectories(dir.resolve(id));
    int httpPort = TestConfig.freePort();
    String yaml =
        """
        gateway:
          id: %s
          dataDir: %s
          http: { host: 127.0.0.1, port: %d }
        serialProviders:
          - id: l4
            url: %s
        products:
          - code: WIDGET-100
            gtin: "%s"
            shelfLifeDays: 730
            serials: { length: 12, alphabet: numeric, source: pool,
                       pool: { provider: l4, lowWater: %d, request: %d, alarmHours: 1 } }
        lines:
          - id: %s
            lotPattern: "{line}-{seq:5}"
            source:
              mqtt: { broker: "%s", topic: "plant/%s/batch-complete", clientId: "%s-%s" }
        erp:
          url: %s
          retry: { initialMs: 100, maxMs: 1000 }
        """
            .formatted(
                id,
                home.resolve("data"),
                httpPort,
                l4.url(),
                GTIN,
                lowWater,
                request,
                line,
                broker.url(),
                line,
                id,
                line,
                erp.url());
    Path config = home.resolve("linegate.yaml");
    Files.writeString(config, yaml);
    return new Gw(
        id,
        config,
        home.resolve("data"),
        dir.resolve(id + ".log"),
        new GatewayApi(httpPort, home.resolve("data")));
  }

  private static JsonNode poolOf(Gw gateway) {
    JsonNode pools = gateway.api().call("GET", "/health").body().path("pools");
    return pools.path(0);
  }

  private static Set<String> serials(Gw gateway) throws Exception {
    Set<String> serials = new HashSet<>();
    try (Connection c =
            DriverManager.getConnection("jdbc:sqlite:" + Database.fileIn(gateway.data()));
        ResultSet row = c.createStatement().executeQuery("SELECT serial FROM serials")) {
      while (row.next()) {
        assertThat(serials.add(row.getString(1))).isTrue();
      }
    }
    return serials;
  }
}
