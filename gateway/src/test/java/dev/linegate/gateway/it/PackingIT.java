package dev.linegate.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.linegate.gateway.auth.Role;
import dev.linegate.gateway.outbox.EpcisSchema;
import dev.linegate.simulator.erp.EpcisEvent;
import dev.linegate.simulator.erp.ErpEvent;
import dev.linegate.simulator.printer.Barcode;
import dev.linegate.simulator.printer.PrintedLabel;
import dev.linegate.simulator.printer.PrinterFault;
import dev.linegate.simulator.printer.SimulatedPrinter;
import dev.linegate.simulator.scanner.ReadRates;
import dev.linegate.simulator.scanner.ScannerSettings;
import dev.linegate.simulator.scanner.SimulatedScanner;
import dev.linegate.simulator.serial.VirtualSerialPair;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A packing station through real wires (SPEC section 10): unit labels printed on a pty printer are
 * scanned by the simulated scanner on another pty into cases; every full case's SSCC label comes
 * out of the network case printer, is decoded, and its GS1-128 scanned onto the pallet.
 */
class PackingIT {

  private static final Duration PATIENCE = Duration.ofSeconds(30);
  private static final DateTimeFormatter YYMMDD = DateTimeFormatter.ofPattern("yyMMdd");
  private static final String GS = "\u001D";

  @TempDir Path dir;
  private MqttRig rig;
  private VirtualSerialPair printerCable;
  private VirtualSerialPair scannerCable;
  private SimulatedPrinter unitPrinter;
  private SimulatedPrinter casePrinter;
  private SimulatedScanner scanner;
  private GatewayApi operator;

  @BeforeEach
  void start() throws Exception {
    rig = MqttRig.start();
    printerCable = VirtualSerialPair.create(dir, "printer");
    scannerCable = VirtualSerialPair.create(dir, "scanner");
    unitPrinter = SimulatedPrinter.start().listenSerial(printerCable.b());
    casePrinter = SimulatedPrinter.start();
    int casePrinterPort = casePrinter.listenTcp(0);
    scanner =
        SimulatedScanner.open(
            scannerCable.b(),
            ScannerSettings.DEFAULT.withAim(ScannerSettings.GS1_DATAMATRIX).withSeed(11));
    // The EPCIS repository fails at first, and takes one event per document (413 above it).
    rig.erp().respondToEpcisWith(503);
    rig.erp().limitEpcisEvents(1);
    rig.startGateway(
        TestConfig.writePacking(
            dir,
            rig.httpPort(),
            rig.broker().url(),
            ("url: %s\nepcis: { url: \"%s\", maxEventsPerDocument: 2, maxEpcsPerEvent: 10 }")
                .formatted(rig.erp().url(), rig.erp().epcisUrl()),
            printerCable.a().toString(),
            scannerCable.a().toString(),
            "tcp://127.0.0.1:" + casePrinterPort),
        "L1");
    await()
        .atMost(PATIENCE)
        .until(() -> rig.api().check("scanner:S2").get("status").asText().equals("UP"));
    operator = rig.api().as("op-olga", Role.OPERATOR);
  }

  @AfterEach
  void stop() throws Exception {
    rig.stopGateway();
    scanner.close();
    unitPrinter.close();
    casePrinter.close();
    scannerCable.close();
    printerCable.close();
    rig.close();
  }

  @Test
  void fourCasesAndAPalletWithRefusalsAnUnpackAndARepack() throws Exception {
    JsonNode lot = printLot(24);
    String lotNumber = lot.get("lot").asText();
    List<PrintedLabel> units = new ArrayList<>(unitPrinter.labels());
    // The ERP has the lot; the EPCIS repository, which answers 503, does not: that output waits.
    await()
        .atMost(PATIENCE)
        .until(() -> rig.api().check("epcis").path("detail").asText().contains("HTTP 503"));
    assertThat(rig.api().check("epcis").get("status").asText()).isEqualTo("DOWN");
    assertThat(rig.api().get("/api/outbox?output=epcis&state=pending").get("items")).isNotEmpty();
    assertThat(rig.erp().epcisEvents()).isEmpty();
    rig.erp().behaveNormally();

    // Case 1: five units; the fifth commits it and its label comes out of P3.
    for (int i = 0; i < 4; i++) {
      assertThat(pack(units.get(i))).isEqualTo("ok: packed: " + (i + 1) + " of 5 in the open case");
    }
    assertThat(rig.api().get("/api/stations/PACK1").at("/openCase/count").asInt()).isEqualTo(4);
    assertThat(pack(units.get(4)))
        .startsWith("ok: case 3950600")
        .endsWith("full with 5 units: its label is printing");
    PrintedLabel caseLabel = awaitContainerLabel(1);
    Barcode symbol = caseLabel.barcodes().get(0);
    assertThat(symbol.symbology()).isEqualTo(Barcode.Symbology.CODE128);
    String expiry = YYMMDD.format(LocalDate.parse(lot.get("expiryDate").asText()));
    String firstCase = symbol.data().substring(2, 20);
    assertThat(firstCase).startsWith("39506000").hasSize(18);
    assertThat(symbol.data())
        .isEqualTo(
            "00"
                + firstCase
                + "02"
                + TestConfig.WIDGET_GTIN
                + "17"
                + expiry
                + "10"
                + lotNumber
                + GS
                + "375");
    JsonNode firstCaseView = rig.api().get("/api/cases/" + firstCase);
    assertThat(firstCaseView.get("status").asText()).isEqualTo("packed");
    assertThat(firstCaseView.get("children").findValuesAsText("serial"))
        .containsExactlyElementsOf(serialsOf(units.subList(0, 5)));
    assertThat(rig.api().get("/api/lots/" + lotNumber).at("/serialCounts/verified").asInt())
        .as("a packing scan is also the unit's scan-back")
        .isEqualTo(5);

    // Refusals: a unit already packed, an unknown serial, a scrapped serial, a held lot.
    assertThat(pack(units.get(2)))
        .isEqualTo(
            "refused: serial "
                + serialOf(units.get(2))
                + " is already packed in case "
                + firstCase);
    String unknown =
        symbolData(units.get(5)).replace("21" + serialOf(units.get(5)), "21999999999999");
    assertThat(packText(unknown))
        .isEqualTo("refused: unknown serial 999999999999 for GTIN " + TestConfig.WIDGET_GTIN);
    // The scrapped label's replacement (same serial) waits in the printer while the paper is out:
    // until it prints, the unit has no good label.
    unitPrinter.fault(PrinterFault.PAPER_OUT);
    assertThat(
            operator
                .post(
                    "/api/serials/" + serialOf(units.get(23)) + "/scrap", "{\"reason\": \"torn\"}")
                .status())
        .isEqualTo(200);
    assertThat(pack(units.get(23)))
        .isEqualTo("refused: serial " + serialOf(units.get(23)) + " is scrapped");
    unitPrinter.fault(PrinterFault.NONE);
    await().atMost(PATIENCE).until(() -> unitPrinter.labels().size() == 25);
    JsonNode held = printLot(3);
    List<PrintedLabel> heldUnits = unitPrinter.labels().subList(25, 28);
    assertThat(
            rig.api()
                .post("/api/lots/" + held.get("lot").asText() + "/hold", "{\"reason\": \"QA\"}")
                .status())
        .isEqualTo(200);
    assertThat(pack(heldUnits.get(0)))
        .isEqualTo("refused: lot " + held.get("lot").asText() + " is on hold");
    assertThat(
            rig.api()
                .get("/api/scans?scanner=S2&limit=1")
                .get("items")
                .get(0)
                .get("verdict")
                .asText())
        .isEqualTo("refused");
    assertThat(rig.api().get("/api/stations/PACK1").at("/openCase/count").asInt())
        .as("nothing refused went into the case")
        .isZero();

    // Cases 2 to 4.
    for (int i = 5; i < 20; i++) {
      assertThat(pack(units.get(i))).startsWith("ok: ");
    }
    List<String> cases = new ArrayList<>(List.of(firstCase));
    for (int k = 2; k <= 4; k++) {
      cases.add(awaitContainerLabel(k).barcodes().get(0).data().substring(2, 20));
    }
    assertThat(cases).doesNotHaveDuplicates();

    // The cases' own labels, scanned, go onto the pallet; the fourth commits it.
    for (int k = 0; k < 3; k++) {
      assertThat(pack(casePrinter.labels().get(k)))
          .isEqualTo("ok: on the pallet: " + (k + 1) + " of 4 cases");
    }
    assertThat(pack(casePrinter.labels().get(0)))
        .isEqualTo("refused: case " + firstCase + " is already on the open pallet");
    assertThat(pack(casePrinter.labels().get(3))).contains("full with 4 cases");
    Barcode palletSymbol = awaitContainerLabel(5).barcodes().get(0);
    String pallet = palletSymbol.data().substring(2, 20);
    assertThat(palletSymbol.data()).endsWith("10" + lotNumber + GS + "3720");
    JsonNode palletView = rig.api().get("/api/cases/" + pallet);
    assertThat(palletView.get("level").asText()).isEqualTo("pallet");
    assertThat(palletView.get("units").asInt()).isEqualTo(20);
    assertThat(palletView.get("children").findValuesAsText("sscc"))
        .containsExactlyElementsOf(cases);
    assertThat(palletView.at("/lots/0/lot").asText()).isEqualTo(lotNumber);
    assertThat(rig.api().get("/api/cases/" + firstCase).get("parent").asText()).isEqualTo(pallet);
    assertThat(rig.api().get("/api/stations").get("items").findValuesAsText("role"))
        .containsExactly("packing");
    JsonNode lotCases = rig.api().get("/api/lots/" + lotNumber).get("cases");
    assertThat(lotCases.findValuesAsText("sscc")).containsExactlyElementsOf(cases);
    assertThat(lotCases.findValuesAsText("pallet")).containsOnly(pallet);
    JsonNode serial = rig.api().get("/api/serials/" + serialOf(units.get(0)));
    assertThat(serial.get("case").asText()).isEqualTo(firstCase);
    assertThat(serial.get("pallet").asText()).isEqualTo(pallet);

    // Rework: a case on a pallet comes off with the pallet; its units can be packed again.
    GatewayApi.Answer onPallet =
        operator.post("/api/cases/" + firstCase + "/unpack", "{\"reason\": \"rework\"}");
    assertThat(onPallet.status()).isEqualTo(409);
    assertThat(onPallet.body().get("detail").asText()).contains("unpack the pallet first");
    assertThat(
            operator.post("/api/cases/" + pallet + "/unpack", "{\"reason\": \"rework\"}").status())
        .isEqualTo(200);
    assertThat(rig.api().get("/api/cases/" + firstCase).get("parent").isNull()).isTrue();
    GatewayApi.Answer unpacked =
        operator.post("/api/cases/" + firstCase + "/unpack", "{\"reason\": \"wrong count\"}");
    assertThat(unpacked.status()).isEqualTo(200);
    assertThat(unpacked.body().get("status").asText()).isEqualTo("unpacked");
    assertThat(unpacked.body().get("children")).isEmpty();
    assertThat(unpacked.body().at("/history/1/children").findValuesAsText("serial"))
        .containsExactlyElementsOf(serialsOf(units.subList(0, 5)));
    assertThat(pack(casePrinter.labels().get(0)))
        .isEqualTo("refused: case " + firstCase + " was unpacked");
    for (int i = 0; i < 3; i++) {
      assertThat(pack(units.get(i))).startsWith("ok: packed: ");
    }
    // A short case, closed by the operator.
    JsonNode shortCase = operator.post("/api/stations/PACK1/close-case", "{}").body();
    assertThat(shortCase.get("units").asInt()).isEqualTo(3);
    String repacked = shortCase.get("sscc").asText();
    assertThat(repacked).isNotIn(cases).isNotEqualTo(pallet);
    assertThat(awaitContainerLabel(6).barcodes().get(0).data())
        .isEqualTo(
            "00"
                + repacked
                + "02"
                + TestConfig.WIDGET_GTIN
                + "17"
                + expiry
                + "10"
                + lotNumber
                + GS
                + "373");
    assertThat(operator.post("/api/stations/PACK1/close-case", "{}").status())
        .as("nothing is open")
        .isEqualTo(409);
    assertThat(rig.api().get("/api/serials/" + serialOf(units.get(0))).get("case").asText())
        .isEqualTo(repacked);

    // The ERP hears every packing and unpacking, a pallet after its cases, in order.
    await().atMost(PATIENCE).until(() -> aggregationEvents().size() == 8);
    List<String> order =
        aggregationEvents().stream()
            .map(
                e ->
                    e.type().substring("dev.linegate.aggregation.".length())
                        + " "
                        + e.data().get("sscc").asText())
            .toList();
    List<String> expected = new ArrayList<>();
    cases.forEach(c -> expected.add("packed " + c));
    expected.add("packed " + pallet);
    expected.add("unpacked " + pallet);
    expected.add("unpacked " + firstCase);
    expected.add("packed " + repacked);
    assertThat(order).containsExactlyElementsOf(expected);
    ErpEvent palletPacked = aggregationEvents().get(4);
    assertThat(palletPacked.data().get("children").findValuesAsText("sscc"))
        .containsExactlyElementsOf(cases);
    assertThat(aggregationEvents().get(0).data().get("children").findValuesAsText("serial"))
        .containsExactlyElementsOf(serialsOf(units.subList(0, 5)));
    epcisEventsOf(lotNumber, held.get("lot").asText(), units, heldUnits, cases, expected);

    Map<String, Long> audited =
        rig.api().get("/api/audit").get("items").findValuesAsText("action").stream()
            .collect(Collectors.groupingBy(a -> a, Collectors.counting()));
    assertThat(audited)
        .containsEntry("case.unpack", 1L)
        .containsEntry("pallet.unpack", 1L)
        .containsEntry("case.close", 1L);
  }

  /** SPEC section 9 at the station: scrap mode scraps what is scanned until it is switched off. */
  @Test
  void inScrapModeTheLabelsScannedAreScrappedByTheOperatorWhoSwitchedItOn() throws Exception {
    printLot(3);
    List<PrintedLabel> units = new ArrayList<>(unitPrinter.labels());
    assertThat(
            rig.api()
                .as("vic-viewer", Role.VIEWER)
                .post("/api/stations/PACK1/scrap-mode", "{\"reason\": \"torn\"}")
                .status())
        .isEqualTo(403);
    assertThat(operator.post("/api/stations/PACK1/scrap-mode", "{}").status())
        .as("a reason is required")
        .isEqualTo(400);
    assertThat(
            operator
                .post("/api/stations/PACK1/scrap-mode", "{\"reason\": \"smudged at packing\"}")
                .status())
        .isEqualTo(200);
    assertThat(rig.api().get("/api/stations/PACK1").at("/scrapMode/by").asText())
        .isEqualTo("op-olga");

    String serial = serialOf(units.get(0));
    assertThat(pack(units.get(0)))
        .isEqualTo("ok: scrapped: smudged at packing; replacement label queued, serial " + serial);
    JsonNode history = rig.api().get("/api/serials/" + serial).get("history");
    assertThat(history.toString()).contains("smudged at packing").contains("op-olga");
    assertThat(rig.api().get("/api/stations/PACK1").at("/openCase/count").asInt())
        .as("nothing was packed in scrap mode")
        .isZero();

    assertThat(operator.call("DELETE", "/api/stations/PACK1/scrap-mode").status()).isEqualTo(200);
    assertThat(rig.api().get("/api/stations/PACK1").get("scrapMode").isNull()).isTrue();
    assertThat(pack(units.get(1))).isEqualTo("ok: packed: 1 of 5 in the open case");
    await().atMost(PATIENCE).until(() -> unitPrinter.labels().size() == 4);
    assertThat(unitPrinter.labels().get(3).barcodes().get(0).data()).endsWith("21" + serial);
    assertThat(pack(unitPrinter.labels().get(3)))
        .as("the replacement label, printed, packs like any")
        .isEqualTo("ok: packed: 2 of 5 in the open case");
  }

  /**
   * What the EPCIS repository has (SPEC section 13): schema-valid documents of one event each (it
   * answered 413 to two), each lot's serials commissioned, the held lot's hold and its voided
   * serial after them, and the packing stream in the order it happened, a pallet after its cases.
   */
  private void epcisEventsOf(
      String lotNumber,
      String heldLot,
      List<PrintedLabel> units,
      List<PrintedLabel> heldUnits,
      List<String> cases,
      List<String> packingOrder)
      throws Exception {
    // The repository takes the void's document (202) and then fails its capture job: a dead
    // letter with the repository's reason, which the operator sends again once it is mended.
    await()
        .atMost(PATIENCE)
        .until(
            () -> rig.api().get("/api/outbox?output=epcis&state=pending").get("items").isEmpty());
    rig.erp().failEpcisCaptureJobs("readPoint unknown to this repository");
    String voided = serialOf(heldUnits.get(1));
    assertThat(
            rig.api()
                .post("/api/serials/" + voided + "/void", "{\"reason\": \"label lost\"}")
                .status())
        .isEqualTo(200);
    await()
        .atMost(PATIENCE)
        .until(() -> rig.api().count("/api/outbox?output=epcis&state=dead") == 1);
    JsonNode dead = rig.api().get("/api/outbox?output=epcis&state=dead").get("items").get(0);
    assertThat(dead.get("type").asText()).isEqualTo("dev.linegate.serial.status-changed");
    assertThat(dead.get("lastError").asText())
        .startsWith("the EPCIS repository's capture job /epcis/capture/")
        .endsWith(
            "failed, nothing of the document was captured: readPoint unknown to this repository");
    assertThat(rig.erp().epcisEvents()).noneMatch(e -> e.bizStep().equals("decommissioning"));
    rig.erp().failEpcisCaptureJobs(null);
    assertThat(rig.api().call("POST", "/api/outbox/" + dead.get("id").asLong() + "/retry").status())
        .isEqualTo(200);
    await()
        .atMost(PATIENCE)
        .until(
            () ->
                rig.erp().epcisEvents().stream()
                    .anyMatch(e -> e.bizStep().equals("decommissioning")));
    await()
        .atMost(PATIENCE)
        .until(
            () -> rig.api().get("/api/outbox?output=epcis&state=pending").get("items").isEmpty());
    assertThat(rig.api().check("epcis").get("status").asText()).isEqualTo("UP");
    assertThat(rig.erp().epcisDocuments())
        .allSatisfy(
            d -> {
              assertThat(EpcisSchema.problems(d)).isEmpty();
              assertThat(d.at("/epcisBody/eventList")).hasSize(1);
            });
    assertThat(rig.erp().epcisDuplicates()).isZero();
    String unit = "https://id.gs1.org/01/" + TestConfig.WIDGET_GTIN + "/21/";

    List<EpcisEvent> commissioning =
        rig.erp().epcisEvents().stream()
            .filter(e -> e.bizStep().equals("commissioning"))
            .filter(e -> e.event().at("/ilmd/cbvmda:lotNumber").asText().equals(lotNumber))
            .toList();
    assertThat(commissioning).extracting(e -> e.epcs().size()).containsExactly(10, 10, 4);
    assertThat(commissioning.stream().flatMap(e -> e.epcs().stream()))
        .containsExactlyElementsOf(serialsOf(units).stream().map(s -> unit + s).toList());

    List<String> heldStory =
        rig.erp().epcisEvents().stream()
            .filter(
                e ->
                    e.event().at("/ilmd/cbvmda:lotNumber").asText().equals(heldLot)
                        || e.event()
                            .at("/quantityList/0/epcClass")
                            .asText()
                            .endsWith("/10/" + heldLot)
                        || e.epcs().contains(unit + voided))
            .map(e -> e.type() + " " + e.action() + " " + e.bizStep() + " " + e.disposition())
            .toList();
    assertThat(heldStory)
        .containsExactly(
            "ObjectEvent ADD commissioning active",
            "ObjectEvent OBSERVE holding non_sellable_other",
            "ObjectEvent DELETE decommissioning inactive");

    List<EpcisEvent> aggregations =
        rig.erp().epcisEvents().stream().filter(e -> e.type().equals("AggregationEvent")).toList();
    assertThat(aggregations)
        .extracting(
            e ->
                (e.action().equals("ADD") ? "packed " : "unpacked ")
                    + e.event().get("parentID").asText().replace("https://id.gs1.org/00/", ""))
        .containsExactlyElementsOf(packingOrder);
    assertThat(aggregations)
        .extracting(e -> e.action() + " " + e.bizStep())
        .containsOnly("ADD packing", "DELETE unpacking");
    assertThat(aggregations.get(4).epcs())
        .containsExactlyElementsOf(cases.stream().map(c -> "https://id.gs1.org/00/" + c).toList());
    assertThat(aggregations.get(0).epcs())
        .containsExactlyElementsOf(
            serialsOf(units.subList(0, 5)).stream().map(s -> unit + s).toList());
    assertThat(rig.erp().epcisRefused()).as("the 503s and the 413s").isGreaterThan(1);
  }

  private List<ErpEvent> aggregationEvents() {
    return rig.erp().events().stream()
        .filter(e -> e.type().startsWith("dev.linegate.aggregation."))
        .toList();
  }

  private PrintedLabel awaitContainerLabel(int count) {
    await().atMost(PATIENCE).until(() -> casePrinter.labels().size() >= count);
    return casePrinter.labels().get(count - 1);
  }

  /** Scans the label at the station; the verdict and reason the gateway recorded for it. */
  private String pack(PrintedLabel label) {
    return judged(() -> scanner.scanBack(List.of(label), ReadRates.PERFECT));
  }

  private String packText(String code) {
    return judged(() -> scanner.scan(code));
  }

  private String judged(Runnable scan) {
    int before = rig.api().get("/api/scans?scanner=S2&limit=1000").get("items").size();
    scan.run();
    await()
        .atMost(PATIENCE)
        .until(
            () ->
                rig.api().get("/api/scans?scanner=S2&limit=1000").get("items").size()
                    == before + 1);
    JsonNode latest = rig.api().get("/api/scans?scanner=S2&limit=1").get("items").get(0);
    return latest.get("verdict").asText() + ": " + latest.get("reason").asText();
  }

  private JsonNode printLot(int units) throws Exception {
    int before = unitPrinter.labels().size();
    JsonNode lot = rig.publishAndAwaitLot("L1", TestConfig.WIDGET, units);
    await().atMost(PATIENCE).until(() -> unitPrinter.labels().size() == before + units);
    await()
        .atMost(PATIENCE)
        .until(
            () ->
                rig.api()
                        .get("/api/lots/" + lot.get("lot").asText())
                        .at("/serialCounts/printed")
                        .asInt()
                    == units);
    return lot;
  }

  private static String symbolData(PrintedLabel label) {
    return label.barcodes().get(0).data();
  }

  private static String serialOf(PrintedLabel label) {
    String data = symbolData(label);
    return data.substring(data.lastIndexOf(GS + "21") + 3);
  }

  private static List<String> serialsOf(List<PrintedLabel> labels) {
    return labels.stream().map(PackingIT::serialOf).toList();
  }
}
