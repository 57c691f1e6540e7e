package dev.linegate.simulator.load;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.linegate.simulator.FreePort;
import dev.linegate.simulator.mqtt.EmbeddedBroker;
import dev.linegate.simulator.mqtt.MqttPlc;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LoadRunTest {
  private EmbeddedBroker broker;
  private int erpPort;

  @BeforeEach
  void start() throws IOException {
    broker = EmbeddedBroker.start("127.0.0.1", 0);
    erpPort = FreePort.pick();
  }

  @AfterEach
  void stop() {
    broker.close();
  }

  @Test
  void reportsEveryBatchCommittedAndDelivered() throws Exception {
    try (var gateway = gateway(batchId -> false)) {
      var report = new LoadRun(options(gateway, 300, false, Duration.ofSeconds(20))).run();

      assertThat(report.sent()).isEqualTo(300);
      assertThat(report.lotsFound()).isEqualTo(300);
      assertThat(report.delivered()).isEqualTo(300);
      assertThat(report.missingLots()).isZero();
      assertThat(report.missingDeliveries()).isZero();
      assertThat(report.complete()).isTrue();
      assertThat(report.achievedRate()).isBetween(500.0, 1_100.0);
      assertThat(report.publishedToCommitted().samples()).isEqualTo(300);
      assertThat(report.publishedToErp().samples()).isEqualTo(300);
      assertThat(report.publishedToErp().p50()).isPositive();
      assertThat(report.publishedToErp().max())
          .isGreaterThanOrEqualTo(report.publishedToErp().p99());
      assertThat(report.throughput()).isPositive();
      assertThat(report.drain()).isNull();
      assertThat(new ObjectMapper().writeValueAsString(report)).contains("\"complete\":true");
    }
  }

  /** The figure users ask for after an ERP outage: how fast the backlog drains. */
  @Test
  void anErpDownWhilePublishingReportsTheDrainOfTheBacklog() throws Exception {
    try (var gateway = gateway(batchId -> false)) {
      var report = new LoadRun(options(gateway, 100, true, Duration.ofSeconds(20))).run();

      assertThat(report.delivered()).isEqualTo(100);
      assertThat(report.drain()).isNotNull();
      assertThat(report.drain().events()).isEqualTo(100);
      assertThat(report.drain().seconds()).isPositive();
      assertThat(report.toText()).contains("ERP backlog drain", "COMPLETE");
    }
  }

  /**
   * The figure after a short outage with publishing going on: how soon the ERP gets events again.
   */
  @Test
  void anErpOutageInTheMiddleOfPublishingReportsTheRecovery() throws Exception {
    try (var gateway = gateway(batchId -> false)) {
      var outage = new LoadOptions.ErpOutage(Duration.ofMillis(300), Duration.ofSeconds(1));
      var report =
          new LoadRun(options(gateway, 400, false, Optional.of(outage), Duration.ofSeconds(20)))
              .run();

      assertThat(report.delivered()).isEqualTo(400);
      assertThat(report.recovery()).isNotNull();
      assertThat(report.recovery().outageSeconds()).isGreaterThanOrEqualTo(1.0);
      assertThat(report.recovery().backlog()).isPositive();
      assertThat(report.recovery().toFirstDelivery()).isNotNull();
      assertThat(report.recovery().toDrained())
          .isNotNull()
          .isGreaterThanOrEqualTo(report.recovery().toFirstDelivery());
      assertThat(report.drain()).isNull();
      assertThat(report.toText()).contains("ERP back->drained", "COMPLETE");
    }
  }

  @Test
  void aBatchWithoutLotOrDeliveryMakesTheRunIncomplete() throws Exception {
    try (var gateway = gateway(batchId -> batchId.endsWith("-000005"))) {
      var report = new LoadRun(options(gateway, 40, false, Duration.ofSeconds(1))).run();

      assertThat(report.sent()).isEqualTo(40);
      assertThat(report.missingLots()).isEqualTo(2); // batch 5 of each line
      assertThat(report.missingDeliveries()).isEqualTo(2);
      assertThat(report.complete()).isFalse();
      assertThat(report.toText()).contains("INCOMPLETE");
    }
  }

  private FakeGateway gateway(Predicate<String> loses) throws Exception {
    return new FakeGateway(
        broker.url(), URI.create("http://127.0.0.1:" + erpPort + "/api/events"), loses);
  }

  private LoadOptions options(FakeGateway gateway, long count, boolean erpDown, Duration timeout) {
    return options(gateway, count, erpDown, Optional.empty(), timeout);
  }

  private LoadOptions options(
      FakeGateway gateway,
      long count,
      boolean erpDown,
      Optional<LoadOptions.ErpOutage> outage,
      Duration timeout) {
    return new LoadOptions(
        broker.url(),
        gateway.url(),
        Optional.empty(),
        erpPort,
        List.of("L1", "L2"),
        MqttPlc.DEFAULT_TOPIC,
        List.of(),
        0,
        "WIDGET-100",
        10,
        1_000,
        OptionalLong.of(count),
        Optional.empty(),
        erpDown,
        outage,
        timeout,
        Duration.ZERO);
  }
}
