package dev.linegate.gateway.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import dev.linegate.connectors.Secret;
import dev.linegate.gateway.config.EpcisConfig;
import dev.linegate.simulator.erp.EpcisEvent;
import dev.linegate.simulator.erp.SimulatedErp;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The EPCIS 2.0 events of each outbox event (SPEC section 13), checked against GS1's JSON schema,
 * and the EPCIS output against the simulator's capture interface: documents cut to size, 413, the
 * answers that retry and those that make a dead letter.
 */
class EpcisEventsTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String LOCATION = "urn:epc:id:sgln:9506000.13435.0";
  private static final String GTIN = "09506000134352";

  private final EpcisEvents events = new EpcisEvents(LOCATION, 3);

  @ParameterizedTest
  @ValueSource(
      strings = {
        "Example_9.6.1-ObjectEvent.jsonld",
        "Example_9.6.1-ObjectEventWithDigitalLink.jsonld",
        "Example_9.6.2-ObjectEventWithDigitalLink.jsonld",
        "Example_9.6.3-AggregationEventWithDigitalLink.jsonld"
      })
  void gs1sOwnExamplesValidateAndBreakingOneDoesNot(String example) throws Exception {
    JsonNode document;
    try (InputStream in = getClass().getResourceAsStream("/epcis/examples/" + example)) {
      document = JSON.readTree(in);
    }
    assertThat(EpcisSchema.problems(document)).isEmpty();
    ObjectNode broken = document.deepCopy();
    ((ObjectNode) broken.at("/epcisBody/eventList/0")).put("eventTime", "yesterday");
    assertThat(EpcisSchema.problems(broken)).isNotEmpty();
  }

  @Test
  void aLotIsCommissionedInEventsOfAtMostMaxEpcsWithItsLotAndExpiry() {
    List<ObjectNode> list =
        events.of(
            cloudEvent(
                "e-1",
                EventType.LOT_COMPLETED,
                data().put("lot", "L1-001").put("expiryDate", "2028-11-22"),
                "S1",
                "S2",
                "S3",
                "S/4"));

    assertThat(list).hasSize(2);
    assertThat(list)
        .allSatisfy(
            event -> {
              assertThat(event.get("type").asText()).isEqualTo("ObjectEvent");
              assertThat(what(event)).isEqualTo("ADD commissioning active");
              assertThat(event.at("/ilmd/cbvmda:lotNumber").asText()).isEqualTo("L1-001");
              assertThat(event.at("/ilmd/cbvmda:itemExpirationDate").asText())
                  .isEqualTo("2028-11-22");
              assertThat(event.at("/readPoint/id").asText()).isEqualTo(LOCATION);
              assertThat(event.at("/bizLocation/id").asText()).isEqualTo(LOCATION);
              assertThat(event.get("eventTime").asText()).isEqualTo("2026-12-06T10:00:00.123Z");
              assertThat(event.get("linegate:event").asText()).isEqualTo("e-1");
            });
    assertThat(texts(list.get(0).get("epcList")))
        .containsExactly(
            "https://id.gs1.org/01/" + GTIN + "/21/S1",
            "https://id.gs1.org/01/" + GTIN + "/21/S2",
            "https://id.gs1.org/01/" + GTIN + "/21/S3");
    // A serial may hold characters a URI path may not: percent-encoded, as GS1 Digital Link says.
    assertThat(texts(list.get(1).get("epcList")))
        .containsExactly("https://id.gs1.org/01/" + GTIN + "/21/S%2F4");
    assertThat(EpcisSchema.problems(EpcisOutput.document(list))).isEmpty();
  }

  @Test
  void eventIdsAreTheSameEveryTimeAndDifferBetweenEvents() {
    JsonNode lot = cloudEvent("e-1", EventType.LOT_COMPLETED, data(), "S1", "S2", "S3", "S4");
    List<String> first = eventIds(events.of(lot));
    assertThat(eventIds(events.of(lot))).isEqualTo(first);
    assertThat(first).doesNotHaveDuplicates().allMatch(id -> id.startsWith("urn:uuid:"));
    JsonNode other = cloudEvent("e-2", EventType.LOT_COMPLETED, data(), "S1");
    assertThat(eventIds(events.of(other))).doesNotContainAnyElementsOf(first);
  }

  @Test
  void aCaseIsPackedUnderItsSsccAndUnpackedAgain() {
    ObjectNode packed = packing("106141410000000017");
    packed.withArray("children").addObject().put("gtin", GTIN).put("serial", "S1");
    packed.withArray("children").addObject().put("gtin", GTIN).put("serial", "S2");
    ObjectNode unpacked = packed.deepCopy().put("reason", "rework");

    ObjectNode pack = one(cloudEvent("e-3", EventType.AGGREGATION_PACKED, packed));
    ObjectNode unpack = one(cloudEvent("e-4", EventType.AGGREGATION_UNPACKED, unpacked));

    assertThat(pack.get("type").asText()).isEqualTo("AggregationEvent");
    assertThat(pack.get("parentID").asText()).isEqualTo("https://id.gs1.org/00/106141410000000017");
    assertThat(texts(pack.get("childEPCs")))
        .containsExactly(
            "https://id.gs1.org/01/" + GTIN + "/21/S1", "https://id.gs1.org/01/" + GTIN + "/21/S2");
    assertThat(what(pack)).isEqualTo("ADD packing in_progress");
    assertThat(pack.get("eventTime").asText()).isEqualTo("2026-12-06T10:05:00Z");
    assertThat(what(unpack)).isEqualTo("DELETE unpacking in_progress");
    assertThat(unpack.get("linegate:reason").asText()).isEqualTo("rework");
    assertThat(EpcisSchema.problems(EpcisOutput.document(List.of(pack, unpack)))).isEmpty();
  }

  @Test
  void aPalletHoldsItsCasesSsccs() {
    ObjectNode pallet = packing("106141410000000024").put("level", "pallet");
    pallet.withArray("children").addObject().put("sscc", "106141410000000017").put("units", 6);
    ObjectNode event = one(cloudEvent("e-5", EventType.AGGREGATION_PACKED, pallet));
    assertThat(texts(event.get("childEPCs")))
        .containsExactly("https://id.gs1.org/00/106141410000000017");
  }

  @Test
  void aVoidedSerialIsDecommissionedAndASampleObserved() {
    ObjectNode voided = one(serialChange("voided", null));
    ObjectNode sampled = one(serialChange("sampled", null));

    assertThat(what(voided)).isEqualTo("DELETE decommissioning inactive");
    assertThat(texts(voided.get("epcList")))
        .containsExactly("https://id.gs1.org/01/" + GTIN + "/21/S9");
    assertThat(voided.get("linegate:reason").asText()).isEqualTo("label lost");
    assertThat(voided.get("eventTime").asText()).isEqualTo("2026-12-06T10:07:00Z");
    assertThat(what(sampled)).isEqualTo("OBSERVE sampling non_sellable_other");
    assertThat(EpcisSchema.problems(EpcisOutput.document(List.of(voided, sampled)))).isEmpty();
  }

  @Test
  void aScrappedLabelIsNothingWhenItsSerialIsReprintedAndADecommissionPlusCommissionWhenNot() {
    assertThat(events.of(serialChange("rejected", "S9"))).isEmpty();

    List<ObjectNode> renumbered = events.of(serialChange("rejected", "S10"));
    assertThat(renumbered)
        .extracting(e -> e.get("action").asText() + " " + e.get("bizStep").asText())
        .containsExactly("DELETE decommissioning", "ADD commissioning");
    assertThat(texts(renumbered.get(1).get("epcList")))
        .containsExactly("https://id.gs1.org/01/" + GTIN + "/21/S10");
    assertThat(renumbered.get(1).at("/ilmd/cbvmda:itemExpirationDate").asText())
        .isEqualTo("2028-11-22");

    assertThat(events.of(serialChange("rejected", null)))
        .extracting(e -> e.get("bizStep").asText())
        .containsExactly("decommissioning");
    assertThat(EpcisSchema.problems(EpcisOutput.document(renumbered))).isEmpty();
  }

  @Test
  void aHoldARecallAndAReleaseAreObservationsOfTheLotAsAClass() {
    List<String> seen = new ArrayList<>();
    for (String to : List.of("on-hold", "released", "recalled")) {
      ObjectNode event =
          one(
              cloudEvent(
                  "e-" + to,
                  EventType.LOT_STATUS_CHANGED,
                  data()
                      .put("lot", "L1/7")
                      .put("to", to)
                      .put("reason", "deviation")
                      .put("at", "2026-12-06T11:00:00Z")));
      assertThat(event.at("/quantityList/0/epcClass").asText())
          .isEqualTo("https://id.gs1.org/01/" + GTIN + "/10/L1%2F7");
      assertThat(EpcisSchema.problems(EpcisOutput.document(List.of(event)))).isEmpty();
      seen.add(what(event));
    }
    assertThat(seen)
        .containsExactly(
            "OBSERVE holding non_sellable_other",
            "OBSERVE inspecting conformant",
            "OBSERVE holding recalled");
  }

  @Test
  void labelEventsAndLotCloseAreNoEpcisEvents() {
    for (EventType type :
        List.of(
            EventType.LABEL_PRINTED,
            EventType.LABEL_VERIFIED,
            EventType.LABEL_FAILED,
            EventType.LOT_CLOSED)) {
      assertThat(events.of(cloudEvent("e-x", type, data(), "S1"))).isEmpty();
    }
  }

  @Test
  void theOutputCutsDocumentsToSizeHalvesThemOn413AndRetriesOrDeadLettersByTheAnswer()
      throws Exception {
    try (SimulatedErp erp = SimulatedErp.start(0)) {
      EpcisOutput output = output(erp, 2);
      // 7 serials, 1 EPC per event: 7 events, in documents of at most 2.
      String lot =
          cloudEvent("e-1", EventType.LOT_COMPLETED, data(), "A", "B", "C", "D", "E", "F", "G")
              .toString();
      assertThat(output.deliver("e-1", "t", "L1", lot))
          .isInstanceOf(DeliveryResult.Delivered.class);
      assertThat(erp.epcisDocuments())
          .extracting(d -> d.at("/epcisBody/eventList").size())
          .containsExactly(2, 2, 2, 1);
      assertThat(erp.epcisDocuments())
          .allSatisfy(d -> assertThat(EpcisSchema.problems(d)).isEmpty());
      assertThat(erp.epcisEvents())
          .extracting(e -> e.epcs().get(0).replace("https://id.gs1.org/01/" + GTIN + "/21/", ""))
          .containsExactly("A", "B", "C", "D", "E", "F", "G");

      erp.limitEpcisEvents(1);
      String other = cloudEvent("e-2", EventType.LOT_COMPLETED, data(), "H", "I", "J").toString();
      assertThat(output.deliver("e-2", "t", "L2", other))
          .isInstanceOf(DeliveryResult.Delivered.class);
      assertThat(erp.epcisEvents()).hasSize(10);
      assertThat(erp.epcisDuplicates()).isZero();

      String third = cloudEvent("e-3", EventType.LOT_COMPLETED, data(), "K").toString();
      erp.respondToEpcisWith(503);
      assertThat(output.deliver("e-3", "t", "L3", third)).isInstanceOf(DeliveryResult.Retry.class);
      erp.respondToEpcisWith(400);
      assertThat(output.deliver("e-3", "t", "L3", third))
          .isInstanceOfSatisfying(
              DeliveryResult.Dead.class, d -> assertThat(d.reason()).startsWith("HTTP 400"));
      erp.behaveNormally();
      erp.requireAuthorization("Bearer right");
      assertThat(output.deliver("e-3", "t", "L3", third))
          .isInstanceOfSatisfying(
              DeliveryResult.Retry.class,
              r -> assertThat(r.reason()).contains("erp.epcis.headers").doesNotContain("right"));
      // The label events go nowhere: delivered without a request.
      long documents = erp.epcisDocuments().size();
      String printed = cloudEvent("e-4", EventType.LABEL_PRINTED, data(), "A").toString();
      assertThat(output.deliver("e-4", "t", "L1", printed))
          .isInstanceOf(DeliveryResult.Delivered.class);
      assertThat(erp.epcisDocuments()).hasSize((int) documents);
    }
  }

  @Test
  void anEventThatFailsPartWayResumesAfterWhatWasTaken() throws Exception {
    try (SimulatedErp erp = SimulatedErp.start(0)) {
      EpcisOutput output = output(erp, 1);
      String lot = cloudEvent("e-1", EventType.LOT_COMPLETED, data(), "A", "B", "C").toString();
      erp.onEpcisEvent(
          event -> {
            if (event.epcs().get(0).endsWith("/B")) {
              erp.respondToEpcisWith(503);
            }
          });
      assertThat(output.deliver("e-1", "t", "L1", lot)).isInstanceOf(DeliveryResult.Retry.class);
      assertThat(erp.epcisEvents()).hasSize(2);
      erp.behaveNormally();
      assertThat(output.deliver("e-1", "t", "L1", lot))
          .isInstanceOf(DeliveryResult.Delivered.class);
      assertThat(erp.epcisEvents())
          .extracting(EpcisEvent::eventId)
          .doesNotHaveDuplicates()
          .hasSize(3);
      assertThat(erp.epcisDuplicates()).isZero();
    }
  }

  @Test
  void aCaptureJobIsAwaitedAndAFailedOneIsADeadLetterWithTheRepositorysErrors() throws Exception {
    try (SimulatedErp erp = SimulatedErp.start(0)) {
      EpcisOutput output = output(erp.epcisUrl(), 1, 2_000);
      erp.runEpcisCaptureJobsFor(3);
      String lot = cloudEvent("e-1", EventType.LOT_COMPLETED, data(), "A").toString();
      assertThat(output.deliver("e-1", "t", "L1", lot))
          .isInstanceOf(DeliveryResult.Delivered.class);
      assertThat(erp.epcisCaptureJobPolls()).as("3 polls running, 1 done").isEqualTo(4);

      erp.runEpcisCaptureJobsFor(0);
      erp.failEpcisCaptureJobs("eventTime is in the future");
      String other = cloudEvent("e-2", EventType.LOT_COMPLETED, data(), "B").toString();
      assertThat(output.deliver("e-2", "t", "L2", other))
          .isInstanceOfSatisfying(
              DeliveryResult.Dead.class,
              d ->
                  assertThat(d.reason())
                      .isEqualTo(
                          "the EPCIS repository's capture job /epcis/capture/2 failed, nothing of"
                              + " the document was captured: eventTime is in the future"));
      assertThat(erp.epcisEvents()).hasSize(1);

      erp.failEpcisCaptureJobs(null);
      erp.runEpcisCaptureJobsFor(1_000);
      assertThat(output.deliver("e-2", "t", "L2", other))
          .isInstanceOfSatisfying(
              DeliveryResult.Retry.class,
              r ->
                  assertThat(r.reason())
                      .isEqualTo(
                          "the EPCIS repository's capture job /epcis/capture/3 has not finished"
                              + " within erp.timeoutMs (still running); the document is sent"
                              + " again"));
    }
  }

  /**
   * A repository of one's own making: each capture answers 202 with the next of {@code locations};
   * {@code /capture/jobs/1} is unknown (404), {@code /capture/jobs/2} a job that failed under
   * {@code proceed}.
   */
  @Test
  void aCaptureJobThatCannotBeAskedIsTakenAsCapturedAndOneThatProceededSaysSo() throws Exception {
    Queue<String> locations =
        new ConcurrentLinkedQueue<>(
            List.of(
                // 127.0.0.2 listens on nothing: asked, the job would fail the delivery.
                "http://127.0.0.2:1/capture/1", "not a uri", "/capture/jobs/1", "capture/jobs/2"));
    HttpServer repository = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    repository.createContext(
        "/capture",
        exchange -> {
          exchange.getRequestBody().readAllBytes();
          String path = exchange.getRequestURI().getPath();
          if (path.equals("/capture/jobs/2")) {
            byte[] job =
                ("{\"running\": false, \"success\": false, \"captureErrorBehaviour\": \"proceed\","
                        + " \"errors\": [{\"title\": \"unknown bizStep\"}]}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, job.length);
            exchange.getResponseBody().write(job);
          } else if (path.startsWith("/capture/jobs/")) {
            exchange.sendResponseHeaders(404, -1);
          } else {
            exchange.getResponseHeaders().add("Location", locations.remove());
            exchange.sendResponseHeaders(202, -1);
          }
          exchange.close();
        });
    repository.start();
    try {
      EpcisOutput output =
          output("http://127.0.0.1:" + repository.getAddress().getPort() + "/capture", 1, 2_000);
      String lot = cloudEvent("e-1", EventType.LOT_COMPLETED, data(), "A").toString();
      for (int i = 0; i < 3; i++) {
        assertThat(output.deliver("e-1", "t", "L1", lot))
            .as("Location %d", i)
            .isInstanceOf(DeliveryResult.Delivered.class);
      }
      assertThat(output.deliver("e-1", "t", "L1", lot))
          .isInstanceOfSatisfying(
              DeliveryResult.Dead.class,
              d ->
                  assertThat(d.reason())
                      .isEqualTo(
                          "the EPCIS repository's capture job /capture/jobs/2 failed, some of the"
                              + " document's events may be captured: unknown bizStep"));
    } finally {
      repository.stop(0);
    }
  }

  private static EpcisOutput output(SimulatedErp erp, int maxEventsPerDocument) {
    return output(erp.epcisUrl(), maxEventsPerDocument, 5_000);
  }

  private static EpcisOutput output(String url, int maxEventsPerDocument, int timeoutMs) {
    return EpcisOutput.start(
        new EpcisConfig(
            URI.create(url),
            Map.of("Authorization", new Secret("Bearer wrong")),
            maxEventsPerDocument,
            1,
            1,
            LOCATION),
        timeoutMs);
  }

  private ObjectNode one(JsonNode cloudEvent) {
    List<ObjectNode> list = events.of(cloudEvent);
    assertThat(list).hasSize(1);
    return list.get(0);
  }

  private static ObjectNode data() {
    return JSON.createObjectNode()
        .put("lot", "L1")
        .put("line", "L1")
        .put("gtin", GTIN)
        .put("expiryDate", "2028-11-22");
  }

  private static ObjectNode packing(String sscc) {
    ObjectNode data = JSON.createObjectNode();
    data.put("sscc", sscc).put("level", "case").put("station", "PACK1").put("line", "L1");
    data.put("at", "2026-12-06T10:05:00Z");
    data.putArray("children");
    return data;
  }

  private static JsonNode serialChange(String to, String replacement) {
    ObjectNode data =
        data()
            .put("serial", "S9")
            .put("from", "printed")
            .put("to", to)
            .put("reason", "label lost")
            .put("at", "2026-12-06T10:07:00Z");
    if (replacement != null) {
      data.put("replacement", replacement);
    }
    return cloudEvent("e-s-" + to + replacement, EventType.SERIAL_STATUS_CHANGED, data);
  }

  private static ObjectNode cloudEvent(
      String id, EventType type, ObjectNode data, String... serials) {
    if (serials.length > 0) {
      ArrayNode list = data.putArray("serials");
      for (String serial : serials) {
        list.add(serial);
      }
    }
    ObjectNode event = JSON.createObjectNode();
    event.put("specversion", "1.0").put("id", id).put("type", type.cloudEventType());
    event.put("time", "2026-12-06T10:00:00.123Z");
    event.set("data", data);
    return event;
  }

  /** Its action, business step and disposition. */
  private static String what(JsonNode event) {
    return event.get("action").asText()
        + " "
        + event.get("bizStep").asText()
        + " "
        + event.get("disposition").asText();
  }

  private static List<String> texts(JsonNode array) {
    List<String> texts = new ArrayList<>();
    array.forEach(n -> texts.add(n.asText()));
    return texts;
  }

  private static List<String> eventIds(List<ObjectNode> list) {
    return list.stream().map(e -> e.get("eventID").asText()).toList();
  }
}
