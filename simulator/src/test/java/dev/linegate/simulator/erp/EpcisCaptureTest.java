package dev.linegate.simulator.erp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The simulator's EPCIS capture interface, as the gateway's EPCIS output meets it. */
class EpcisCaptureTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http = HttpClient.newHttpClient();
  private SimulatedErp erp;

  @BeforeEach
  void start() {
    erp = SimulatedErp.start(0);
  }

  @AfterEach
  void stop() {
    erp.close();
  }

  @Test
  void takesADocumentWith202AndAJobLocationAndRecordsEachEventOnce() throws Exception {
    HttpResponse<String> first = capture(document("e-1", "e-2"), "application/ld+json");
    HttpResponse<String> again = capture(document("e-2", "e-3"), "application/ld+json");

    assertThat(first.statusCode()).isEqualTo(202);
    assertThat(first.headers().firstValue("Location")).hasValue("/epcis/capture/1");
    assertThat(again.statusCode()).isEqualTo(202);
    assertThat(erp.epcisEvents())
        .extracting(EpcisEvent::eventId)
        .containsExactly("urn:uuid:e-1", "urn:uuid:e-2", "urn:uuid:e-3");
    assertThat(erp.epcisDuplicates()).isEqualTo(1);
    assertThat(erp.epcisDocuments()).hasSize(2);
    assertThat(erp.epcisEvents().get(0).summary())
        .isEqualTo("ObjectEvent ADD commissioning 1 EPCs lot=L1");

    JsonNode listed = get("/epcis/events");
    assertThat(listed).hasSize(3);
    assertThat(listed.get(2).path("event").path("eventID").asText()).isEqualTo("urn:uuid:e-3");
    assertThat(get("/epcis/documents")).hasSize(2);
  }

  @Test
  void refusesTooLargeDocumentsWith413AndFailsOnCommand() throws Exception {
    erp.limitEpcisEvents(2);
    assertThat(capture(document("e-1", "e-2", "e-3"), "application/ld+json").statusCode())
        .isEqualTo(413);
    assertThat(capture(document("e-1", "e-2"), "application/ld+json").statusCode()).isEqualTo(202);

    erp.respondToEpcisWith(503);
    assertThat(capture(document("e-4"), "application/ld+json").statusCode()).isEqualTo(503);
    erp.behaveNormally();
    assertThat(capture(document("e-4"), "application/ld+json").statusCode()).isEqualTo(202);

    assertThat(erp.epcisEvents())
        .extracting(EpcisEvent::eventId)
        .containsExactly("urn:uuid:e-1", "urn:uuid:e-2", "urn:uuid:e-4");
    assertThat(erp.epcisRefused()).isEqualTo(2);
  }

  @Test
  void aCaptureJobRunsForThePollsAskedAndAFailedOneCapturesNothing() throws Exception {
    erp.runEpcisCaptureJobsFor(1);
    String first =
        capture(document("e-1"), "application/ld+json")
            .headers()
            .firstValue("Location")
            .orElseThrow();
    assertThat(get(first).path("running").asBoolean()).isTrue();
    JsonNode done = get(first);
    assertThat(done.path("running").asBoolean()).isFalse();
    assertThat(done.path("success").asBoolean()).isTrue();
    assertThat(done.path("errors")).isEmpty();

    erp.runEpcisCaptureJobsFor(0);
    erp.failEpcisCaptureJobs("eventTime is in the future");
    String second =
        capture(document("e-2"), "application/ld+json")
            .headers()
            .firstValue("Location")
            .orElseThrow();
    JsonNode failed = get(second);
    assertThat(failed.path("running").asBoolean()).isFalse();
    assertThat(failed.path("success").asBoolean()).isFalse();
    assertThat(failed.path("captureErrorBehaviour").asText()).isEqualTo("rollback");
    assertThat(failed.at("/errors/0/title").asText()).isEqualTo("eventTime is in the future");
    assertThat(erp.epcisEvents()).extracting(EpcisEvent::eventId).containsExactly("urn:uuid:e-1");
    assertThat(erp.epcisCaptureJobPolls()).isEqualTo(3);
    assertThat(get("/epcis/capture/9").path("error").asText()).isEqualTo("no capture job 9");
  }

  @Test
  void refusesWhatIsNotAnEpcisDocumentAndMissingCredentials() throws Exception {
    assertThat(capture(document("e-1"), "text/plain").statusCode()).isEqualTo(415);
    assertThat(capture(JSON.createObjectNode().put("type", "Thing"), "application/ld+json"))
        .extracting(HttpResponse::statusCode)
        .isEqualTo(400);
    erp.requireAuthorization("Bearer t");
    assertThat(capture(document("e-1"), "application/ld+json").statusCode()).isEqualTo(401);
    assertThat(erp.epcisEvents()).isEmpty();
  }

  private static ObjectNode document(String... ids) {
    ObjectNode document = JSON.createObjectNode();
    document.put("type", "EPCISDocument").put("schemaVersion", "2.0");
    ArrayNode events = document.putObject("epcisBody").putArray("eventList");
    for (String id : ids) {
      ObjectNode event = events.addObject();
      event.put("type", "ObjectEvent").put("eventID", "urn:uuid:" + id).put("action", "ADD");
      event.put("bizStep", "commissioning");
      event.putArray("epcList").add("https://id.gs1.org/01/09506000134352/21/" + id);
      event.putObject("ilmd").put("cbvmda:lotNumber", "L1");
    }
    return document;
  }

  private HttpResponse<String> capture(JsonNode document, String contentType) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(erp.epcisUrl()))
            .header("Content-Type", contentType)
            .POST(HttpRequest.BodyPublishers.ofString(document.toString()))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private JsonNode get(String path) throws Exception {
    String base = erp.url().replace("/api/events", "");
    return JSON.readTree(
        http.send(
                HttpRequest.newBuilder(URI.create(base + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString())
            .body());
  }
}
