package dev.linegate.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.linegate.gateway.auth.Role;
import dev.linegate.simulator.erp.ErpEvent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hold, release and recall through the HTTP API of a running gateway, with the lot arriving over a
 * real MQTT broker and the status changes reaching a real HTTP ERP.
 */
class LotStatusIT {

  private static final Duration PATIENCE = Duration.ofSeconds(30);

  @TempDir Path dir;
  private MqttRig rig;
  private final Map<String, GatewayApi> supervisors = new HashMap<>();

  @BeforeEach
  void start() throws Exception {
    rig = MqttRig.start();
    rig.startGateway(
        TestConfig.write(dir, rig.httpPort(), rig.broker().url(), rig.erp().url()), "L1");
  }

  @AfterEach
  void stop() {
    rig.close();
  }

  /**
   * The ERP must never hear of a hold before it has the lot: the changes are made while the ERP is
   * unreachable, so the completed event is still waiting when they are written.
   */
  @Test
  void holdReleaseAndRecallAreRecordedAndReachTheErpInOrderAfterTheCompletedLot() throws Exception {
    rig.erp().refuseConnections();
    String lot = newLot();

    assertThat(change(lot, "hold", "deviation DEV-042", "qa-anna").status()).isEqualTo(200);
    GatewayApi.Answer released = change(lot, "release", "deviation closed", "qa-anna");
    assertThat(released.status()).isEqualTo(200);
    assertThat(released.body().get("from").asText()).isEqualTo("on-hold");
    assertThat(released.body().get("to").asText()).isEqualTo("released");
    assertThat(change(lot, "recall", "customer complaint C-7", "qa-ben").status()).isEqualTo(200);

    JsonNode stored = rig.api().get("/api/lots/" + lot);
    assertThat(stored.get("status").asText()).isEqualTo("recalled");
    JsonNode history = stored.get("statusHistory");
    assertThat(history.findValuesAsText("from")).containsExactly("released", "on-hold", "released");
    assertThat(history.findValuesAsText("to")).containsExactly("on-hold", "released", "recalled");
    assertThat(history.findValuesAsText("reason"))
        .containsExactly("deviation DEV-042", "deviation closed", "customer complaint C-7");
    assertThat(history.findValuesAsText("by")).containsExactly("qa-anna", "qa-anna", "qa-ben");

    rig.erp().acceptConnections();
    await().atMost(PATIENCE).until(() -> rig.erp().events().size() == 4);
    List<ErpEvent> events = rig.erp().events();
    assertThat(events)
        .extracting(ErpEvent::type)
        .containsExactly(
            "dev.linegate.lot.completed",
            "dev.linegate.lot.status-changed",
            "dev.linegate.lot.status-changed",
            "dev.linegate.lot.status-changed");
    assertThat(events).allSatisfy(e -> assertThat(e.body().get("subject").asText()).isEqualTo(lot));
    assertThat(events.subList(1, 4))
        .extracting(e -> e.data().get("to").asText())
        .containsExactly("on-hold", "released", "recalled");
    JsonNode recall = events.get(3).data();
    assertThat(recall.get("lot").asText()).isEqualTo(lot);
    assertThat(recall.get("line").asText()).isEqualTo("L1");
    assertThat(recall.get("from").asText()).isEqualTo("released");
    assertThat(recall.get("reason").asText()).isEqualTo("customer complaint C-7");
    assertThat(recall.get("by").asText()).isEqualTo("qa-ben");
    assertThat(recall.get("at").asText()).isEqualTo(history.get(2).get("at").asText());
  }

  @Test
  void aSerialShowsItsLotsRecallAndIsNotReprinted() throws Exception {
    String lot = newLot();
    String serial =
        rig.api()
            .get("/api/lots/" + lot + "/serials?limit=1")
            .get("items")
            .get(0)
            .get("serial")
            .asText();
    assertThat(change(lot, "hold", "deviation DEV-043", "qa-anna").status()).isEqualTo(200);
    assertThat(change(lot, "recall", "contamination", "qa-ben").status()).isEqualTo(200);

    JsonNode found = rig.api().get("/api/serials/" + serial);
    assertThat(found.get("lotStatus").asText()).isEqualTo("recalled");
    assertThat(found.get("history").findValuesAsText("event"))
        .containsExactly("assigned", "lot on-hold", "lot recalled");
    assertThat(found.get("history").get(2).get("detail").asText())
        .contains("contamination")
        .contains("qa-ben");

    GatewayApi.Answer reprint =
        rig.api().post("/api/serials/" + serial + "/reprint", "{\"reason\": \"label damaged\"}");
    assertThat(reprint.status()).isEqualTo(409);
    assertThat(reprint.body().get("error").asText()).isEqualTo("lot is recalled");
  }

  /** Refusals change nothing: the lot keeps its status and the ERP hears of no change. */
  @Test
  void illegalChangesMissingFieldsAndUnknownLotsAreRefused() throws Exception {
    String lot = newLot();
    await().atMost(PATIENCE).until(() -> rig.erp().events().size() == 1);

    assertThat(change(lot, "release", "why not", "op-1").body().get("error").asText())
        .isEqualTo("already released");
    assertThat(rig.api().post("/api/lots/" + lot + "/hold", "{}").status()).isEqualTo(400);
    assertThat(rig.api().post("/api/lots/" + lot + "/hold", "{\"reason\": \" \"}").status())
        .isEqualTo(400);
    assertThat(rig.api().call("POST", "/api/lots/" + lot + "/hold").status()).isEqualTo(400);
    assertThat(change("NO-SUCH-LOT", "hold", "deviation", "op-1").status()).isEqualTo(404);

    assertThat(change(lot, "hold", "deviation", "op-1").status()).isEqualTo(200);
    GatewayApi.Answer again = change(lot, "hold", "deviation", "op-1");
    assertThat(again.status()).isEqualTo(409);
    assertThat(again.body().get("error").asText()).isEqualTo("already on-hold");
    assertThat(change(lot, "recall", "deviation confirmed", "qa-ben").status()).isEqualTo(200);
    for (String action : List.of("release", "hold", "recall")) {
      GatewayApi.Answer refused = change(lot, action, "try", "op-1");
      assertThat(refused.status()).as(action).isEqualTo(409);
    }
    assertThat(change(lot, "release", "try", "op-1").body().get("detail").asText())
        .contains("is recalled");

    JsonNode stored = rig.api().get("/api/lots/" + lot);
    assertThat(stored.get("status").asText()).isEqualTo("recalled");
    assertThat(stored.get("statusHistory")).hasSize(2);
    await().atMost(PATIENCE).until(() -> rig.erp().events().size() == 3);
    assertThat(rig.api().count("/api/outbox?state=pending")).isZero();
    assertThat(rig.erp().events()).hasSize(3);
  }

  private String newLot() throws Exception {
    return rig.publishAndAwaitLot("L1", TestConfig.WIDGET, 4).get("lot").asText();
  }

  /**
   * The change as the supervisor {@code by} makes it, logged in, signing a release or a recall; the
   * body's "by" names someone else, and is ignored.
   */
  private GatewayApi.Answer change(String lot, String action, String reason, String by) {
    String signature = action.equals("hold") ? "" : ", " + TestUsers.SIGNATURE;
    return supervisors
        .computeIfAbsent(by, name -> rig.api().as(name, Role.SUPERVISOR))
        .post(
            "/api/lots/" + lot + "/" + action,
            "{\"reason\": \"" + reason + "\", \"by\": \"somebody-else\"" + signature + "}");
  }
}
