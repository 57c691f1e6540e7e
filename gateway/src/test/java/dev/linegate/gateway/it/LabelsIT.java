package dev.linegate.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.zxing.BinaryBitmap;
import com.google.zxing.DecodeHintType;
import com.google.zxing.MultiFormatReader;
import com.google.zxing.client.j2se.BufferedImageLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import dev.linegate.gateway.auth.Role;
import dev.linegate.simulator.erp.ErpEvent;
import dev.linegate.simulator.printer.Barcode;
import dev.linegate.simulator.printer.PrintedLabel;
import dev.linegate.simulator.printer.PrinterFault;
import dev.linegate.simulator.printer.SimulatedPrinter;
import dev.linegate.simulator.serial.VirtualSerialPair;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Labels through real wires: lots arrive over MQTT, unit labels go to a simulated Zebra on a socat
 * pty pair, lot labels to one on TCP, and what the printers received is decoded back.
 */
class LabelsIT {

  private static final Duration PATIENCE = Duration.ofSeconds(30);
  private static final DateTimeFormatter YYMMDD = DateTimeFormatter.ofPattern("yyMMdd");
  private static final String GS = "\u001D";

  @TempDir Path dir;
  private MqttRig rig;
  private VirtualSerialPair cable;
  private SimulatedPrinter unitPrinter;
  private SimulatedPrinter lotPrinter;
  private Path config;

  @BeforeEach
  void start() throws Exception {
    rig = MqttRig.start();
    cable = VirtualSerialPair.create(dir, "p1");
    unitPrinter = SimulatedPrinter.start().listenSerial(cable.b());
    lotPrinter = SimulatedPrinter.start();
    int lotPrinterPort = lotPrinter.listenTcp(0);
    config =
        TestConfig.writeLabelled(
            dir,
            rig.httpPort(),
            rig.broker().url(),
            rig.erp().url(),
            cable.a().toString(),
            "tcp://127.0.0.1:" + lotPrinterPort);
    rig.startGateway(config, "L1", "L2");
  }

  @AfterEach
  void stop() throws Exception {
    rig.stopGateway();
    unitPrinter.close();
    lotPrinter.close();
    cable.close();
    rig.close();
  }

  @Test
  void aLotOfFiftyPrintsFiftyLabelsWhoseDataMatrixIsEachSerialsElementString() throws Exception {
    JsonNode lot = rig.publishAndAwaitLot("L1", TestConfig.WIDGET, 50);
    List<String> serials = serialsOf(lot);

    await().atMost(PATIENCE).until(() -> unitPrinter.labels().size() == 50);
    List<PrintedLabel> printed = unitPrinter.labels();
    String expiry = YYMMDD.format(LocalDate.parse(lot.get("expiryDate").asText()));
    for (int i = 0; i < 50; i++) {
      PrintedLabel label = printed.get(i);
      String serial = serials.get(i);
      Barcode symbol = label.barcodes().get(0);
      assertThat(symbol.symbology()).isEqualTo(Barcode.Symbology.DATAMATRIX);
      assertThat(symbol.gs1()).as("FNC1 first makes it a GS1 DataMatrix").isTrue();
      assertThat(symbol.data())
          .isEqualTo(
              "01"
                  + TestConfig.WIDGET_GTIN
                  + "17"
                  + expiry
                  + "10"
                  + lot.get("lot").asText()
                  + GS
                  + "21"
                  + serial);
      assertThat(label.texts())
          .contains(
              "(01)"
                  + TestConfig.WIDGET_GTIN
                  + "(17)"
                  + expiry
                  + "(10)"
                  + lot.get("lot").asText()
                  + "(21)"
                  + serial,
              "SN " + serial);
    }
    await()
        .atMost(PATIENCE)
        .until(
            () ->
                rig.api()
                        .get("/api/lots/" + lot.get("lot").asText())
                        .at("/serialCounts/printed")
                        .asInt()
                    == 50);
    await().atMost(PATIENCE).until(() -> printedSerialsAtErp().size() == 50);
    assertThat(printedSerialsAtErp()).containsExactlyInAnyOrderElementsOf(serials);
    assertThat(
            rig.erp().events().stream()
                .filter(e -> e.type().equals("dev.linegate.label.printed"))
                .count())
        .as("one event per job, not per label")
        .isEqualTo(1);
  }

  @Test
  void aLotLabelGoesToTheNetworkPrinterAsGs1128() throws Exception {
    JsonNode lot = rig.publishAndAwaitLot("L2", TestConfig.WIDGET, 12);

    await().atMost(PATIENCE).until(() -> lotPrinter.labels().size() == 1);
    Barcode symbol = lotPrinter.labels().get(0).barcodes().get(0);
    assertThat(symbol.symbology()).isEqualTo(Barcode.Symbology.CODE128);
    String production = YYMMDD.format(LocalDate.parse(lot.get("productionDate").asText()));
    String expiry = YYMMDD.format(LocalDate.parse(lot.get("expiryDate").asText()));
    assertThat(symbol.data())
        .isEqualTo(
            "01"
                + TestConfig.WIDGET_GTIN
                + "11"
                + production
                + "17"
                + expiry
                + "10"
                + lot.get("lot").asText());
    assertThat(unitPrinter.labels()).isEmpty();
  }

  @Test
  void paperOutHoldsTheQueueTellsTheErpAndPrintingResumesWithNoLabelLostOrTwice() throws Exception {
    unitPrinter.speed(25);
    JsonNode lot = rig.publishAndAwaitLot("L1", TestConfig.WIDGET, 50);
    await().atMost(PATIENCE).until(() -> unitPrinter.labels().size() >= 5);
    unitPrinter.fault(PrinterFault.PAPER_OUT);

    await().atMost(PATIENCE).until(() -> printerCheck("P1").get("status").asText().equals("DOWN"));
    assertThat(printerCheck("P1").get("detail").asText()).contains("no answer");
    assertThat(rig.api().call("GET", "/health").status()).isEqualTo(503);
    await()
        .atMost(PATIENCE)
        .until(
            () ->
                rig.erp().events().stream()
                    .anyMatch(e -> e.type().equals("dev.linegate.label.failed")));
    ErpEvent failed =
        rig.erp().events().stream()
            .filter(e -> e.type().equals("dev.linegate.label.failed"))
            .findFirst()
            .orElseThrow();
    assertThat(failed.data().get("lot").asText()).isEqualTo(lot.get("lot").asText());
    assertThat(failed.data().get("printer").asText()).isEqualTo("P1");
    assertThat(unitPrinter.labels().size())
        .as("nothing prints while the paper is out")
        .isLessThan(50);

    unitPrinter.fault(PrinterFault.NONE);
    await()
        .atMost(PATIENCE)
        .until(
            () ->
                rig.api()
                        .get("/api/lots/" + lot.get("lot").asText())
                        .at("/serialCounts/printed")
                        .asInt()
                    == 50);
    List<String> printedSerials = unitPrinter.labels().stream().map(LabelsIT::serialOn).toList();
    assertThat(printedSerials)
        .hasSize(50)
        .doesNotHaveDuplicates()
        .containsExactlyInAnyOrderElementsOf(serialsOf(lot));
    assertThat(printerCheck("P1").get("status").asText()).isEqualTo("UP");
  }

  @Test
  void aPulledCableShowsInHealthAndPrintingResumesWhenItIsBackWithNoSerialTwice() throws Exception {
    unitPrinter.speed(25);
    JsonNode lot = rig.publishAndAwaitLot("L1", TestConfig.WIDGET, 50);
    await().atMost(PATIENCE).until(() -> unitPrinter.labels().size() >= 5);
    cable.unplug();

    // Lost first; then, at the next attempt, the port is named as missing.
    await()
        .atMost(PATIENCE)
        .until(
            () ->
                printerCheck("P1")
                    .get("detail")
                    .asText()
                    .contains("serial port " + cable.a() + " does not exist"));
    assertThat(printerCheck("P1").get("status").asText()).isEqualTo("DOWN");
    cable.plugIn();

    // Labels in flight when the cable went may be lost or printed: those are for the operator.
    await()
        .atMost(PATIENCE)
        .until(
            () ->
                rig.api()
                                .get("/api/lots/" + lot.get("lot").asText())
                                .at("/serialCounts/printed")
                                .asInt()
                            + uncertainCount()
                        == 50
                    && unitPrinter.labelsRemaining() == 0);
    List<String> printedSerials = unitPrinter.labels().stream().map(LabelsIT::serialOn).toList();
    assertThat(printedSerials).doesNotHaveDuplicates();
    assertThat(printedSerials.size()).isGreaterThanOrEqualTo(50 - uncertainCount());
    assertThat(printerCheck("P1").get("status").asText()).isEqualTo("UP");
  }

  /**
   * A job whose labels cannot be rendered, here a lot an older Linegate recorded with an expiry in
   * 2100 (which six digits cannot say), fails with its reason instead of holding every job behind
   * it for ever while /health says UP.
   */
  @Test
  void aJobThatCannotBeRenderedFailsWithItsReasonAndTheJobsBehindItPrint() throws Exception {
    unitPrinter.fault(PrinterFault.PAPER_OUT);
    JsonNode old = rig.publishAndAwaitLot("L1", TestConfig.WIDGET, 2);
    String oldLot = old.get("lot").asText();
    rig.stopGateway();
    try (Connection db =
        DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("data/linegate.db"))) {
      db.createStatement()
          .executeUpdate(
              "UPDATE lots SET production_date = '2098-01-06', expiry_date = '2100-01-05' WHERE lot = '"
                  + oldLot
                  + "'");
    }
    rig.startGateway(config, "L1", "L2");
    unitPrinter.fault(PrinterFault.NONE);

    JsonNode next = rig.publishAndAwaitLot("L1", TestConfig.WIDGET, 3);
    await()
        .atMost(PATIENCE)
        .until(
            () ->
                rig.api()
                        .get("/api/lots/" + next.get("lot").asText())
                        .at("/serialCounts/printed")
                        .asInt()
                    == 3);
    assertThat(unitPrinter.labels().stream().map(LabelsIT::serialOn))
        .containsExactlyElementsOf(serialsOf(next));

    await()
        .atMost(PATIENCE)
        .until(
            () ->
                rig.erp().events().stream()
                    .anyMatch(
                        e ->
                            e.type().equals("dev.linegate.label.failed")
                                && e.data().get("fault").asText().contains("cannot be printed")));
    ErpEvent failed =
        rig.erp().events().stream()
            .filter(
                e ->
                    e.type().equals("dev.linegate.label.failed")
                        && e.data().get("fault").asText().contains("cannot be printed"))
            .findFirst()
            .orElseThrow();
    assertThat(failed.data().get("lot").asText()).isEqualTo(oldLot);
    assertThat(failed.data().get("fault").asText())
        .isEqualTo("label 1 cannot be printed: year 2100 does not fit YYMMDD (2000-2099)");
    assertThat(failed.data().get("labelsWaiting").asInt()).isEqualTo(2);
    JsonNode printer = printerCheck("P1");
    assertThat(printer.get("status").asText()).isEqualTo("DOWN");
    assertThat(printer.get("detail").asText())
        .contains(
            "(lot "
                + oldLot
                + ") failed: label 1 cannot be printed: year 2100 does not fit YYMMDD (2000-2099); 2 label(s) not printed");
    assertThat(rig.api().get("/api/lots/" + oldLot).at("/serialCounts/printed").asInt()).isZero();
    JsonNode history = rig.api().get("/api/serials/" + serialsOf(old).get(0)).get("history");
    assertThat(history.findValuesAsText("event")).contains("label not printed");
    assertThat(history.toString()).contains("year 2100 does not fit YYMMDD");

    // The operator has made those labels another way: the alarm goes, without a restart.
    GatewayApi lena = rig.api().as("op-lena", Role.OPERATOR);
    assertThat(
            rig.api()
                .as("viewer-vic", Role.VIEWER)
                .post("/api/printers/P1/failed-jobs/acknowledge", "{}")
                .status())
        .as("a viewer only looks")
        .isEqualTo(403);
    assertThat(lena.post("/api/printers/P9/failed-jobs/acknowledge", "{}").status()).isEqualTo(404);
    GatewayApi.Answer acknowledged = lena.post("/api/printers/P1/failed-jobs/acknowledge", "{}");
    assertThat(acknowledged.status()).isEqualTo(200);
    assertThat(acknowledged.body().get("acknowledged").asInt()).isEqualTo(1);
    await().atMost(PATIENCE).until(() -> printerCheck("P1").get("status").asText().equals("UP"));
    assertThat(printerCheck("P1").get("detail").asText()).doesNotContain(oldLot);
    assertThat(
            lena.post("/api/printers/P1/failed-jobs/acknowledge", "{}")
                .body()
                .get("acknowledged")
                .asInt())
        .isZero();
    JsonNode audited = rig.api().get("/api/audit?limit=1").at("/items/0");
    assertThat(audited.get("user").asText())
        .as("the audit trail names the operator who acknowledged")
        .isEqualTo("op-lena");
    assertThat(audited.get("action").asText()).isEqualTo("printer.acknowledge-failed-jobs");
  }

  /**
   * A round that fails for a reason outside the job's labels shows, backs off, and printing resumes
   * once it is gone.
   */
  @Test
  void aFailingRoundShowsInHealthIsRetriedWithBackoffAndPrintingResumes() throws Exception {
    unitPrinter.fault(PrinterFault.PAPER_OUT);
    JsonNode lot = rig.publishAndAwaitLot("L1", TestConfig.WIDGET, 2);
    rig.stopGateway();
    // A queue row this Linegate cannot read: the worker's every round fails until it is put right.
    String jdbc = "jdbc:sqlite:" + dir.resolve("data/linegate.db");
    try (Connection db = DriverManager.getConnection(jdbc)) {
      db.createStatement()
          .executeUpdate("UPDATE print_jobs SET kind = 'unknown' WHERE kind = 'unit'");
    }
    rig.startGateway(config, "L1", "L2");
    unitPrinter.fault(PrinterFault.NONE);

    await()
        .atMost(PATIENCE)
        .until(
            () ->
                printerCheck("P1")
                    .get("detail")
                    .asText()
                    .matches("print queue failed: .*UNKNOWN.*; retrying in \\d+ ms"));
    assertThat(printerCheck("P1").get("status").asText()).isEqualTo("DOWN");
    await().atMost(PATIENCE).until(() -> retryDelayMs(printerCheck("P1")) >= 1_500);
    try (Connection db = DriverManager.getConnection(jdbc)) {
      db.createStatement()
          .executeUpdate("UPDATE print_jobs SET kind = 'unit' WHERE kind = 'unknown'");
    }
    await()
        .atMost(PATIENCE)
        .until(
            () ->
                rig.api()
                        .get("/api/lots/" + lot.get("lot").asText())
                        .at("/serialCounts/printed")
                        .asInt()
                    == 2);
    await().atMost(PATIENCE).until(() -> printerCheck("P1").get("status").asText().equals("UP"));
  }

  private static long retryDelayMs(JsonNode check) {
    java.util.regex.Matcher delay =
        java.util.regex.Pattern.compile("retrying in (\\d+) ms")
            .matcher(check.get("detail").asText());
    return delay.find() ? Long.parseLong(delay.group(1)) : 0;
  }

  @Test
  void aReprintIsExplicitAuditedAndPrintsThatSerialAgain() throws Exception {
    JsonNode lot = rig.publishAndAwaitLot("L1", TestConfig.WIDGET, 3);
    // Reprinted only once the printer has reported the label printed (it left its buffer).
    await()
        .atMost(PATIENCE)
        .until(
            () ->
                rig.api()
                        .get("/api/lots/" + lot.get("lot").asText())
                        .at("/serialCounts/printed")
                        .asInt()
                    == 3);
    String serial = serialsOf(lot).get(1);

    GatewayApi anna = rig.api().as("op-anna", Role.OPERATOR);
    assertThat(anna.post("/api/serials/" + serial + "/reprint", "{}").status())
        .as("a reprint needs a reason")
        .isEqualTo(400);
    assertThat(anna.post("/api/serials/999999999999/reprint", "{\"reason\": \"x\"}").status())
        .isEqualTo(404);
    assertThat(
            rig.api()
                .postText(
                    "/api/serials/" + serial + "/reprint", "{\"reason\": \"x\", \"by\": \"anna\"}"))
        .as("only JSON, so no form elsewhere can post")
        .isEqualTo(415);
    GatewayApi.Answer queued =
        anna.post("/api/serials/" + serial + "/reprint", "{\"reason\": \"label torn\"}");
    assertThat(queued.status()).isEqualTo(200);

    await().atMost(PATIENCE).until(() -> unitPrinter.labels().size() == 4);
    assertThat(serialOn(unitPrinter.labels().get(3))).isEqualTo(serial);
    JsonNode history = rig.api().get("/api/serials/" + serial).get("history");
    assertThat(history.findValuesAsText("event"))
        .containsSubsequence("assigned", "reprint requested", "printed");
    assertThat(history.toString()).contains("label torn").contains("op-anna");
  }

  @Test
  void aLabelStillQueuedOrAlreadyQueuedAgainIsNotReprinted() throws Exception {
    unitPrinter.fault(PrinterFault.PAPER_OUT);
    JsonNode lot = rig.publishAndAwaitLot("L1", TestConfig.WIDGET, 2);
    String serial = serialsOf(lot).get(0);
    String torn = "{\"reason\": \"label torn\"}";

    GatewayApi.Answer early = rig.api().post("/api/serials/" + serial + "/reprint", torn);
    assertThat(early.status()).as("its first label has not even been sent").isEqualTo(409);
    assertThat(early.body().get("error").asText()).isEqualTo("not printed yet");

    unitPrinter.fault(PrinterFault.NONE);
    await()
        .atMost(PATIENCE)
        .until(
            () ->
                rig.api()
                        .get("/api/lots/" + lot.get("lot").asText())
                        .at("/serialCounts/printed")
                        .asInt()
                    == 2);
    unitPrinter.fault(PrinterFault.PAPER_OUT);
    assertThat(rig.api().post("/api/serials/" + serial + "/reprint", torn).status()).isEqualTo(200);
    GatewayApi.Answer twice = rig.api().post("/api/serials/" + serial + "/reprint", torn);
    assertThat(twice.status()).isEqualTo(409);
    assertThat(twice.body().get("error").asText()).isEqualTo("reprint already queued");

    unitPrinter.fault(PrinterFault.NONE);
    await().atMost(PATIENCE).until(() -> unitPrinter.labels().size() == 3);
    assertThat(unitPrinter.labels().stream().map(LabelsIT::serialOn).filter(serial::equals))
        .hasSize(2);
  }

  @Test
  void thePreviewShowsTheSerialsGs1DataInAReadableSymbol() throws Exception {
    JsonNode lot = rig.publishAndAwaitLot("L1", TestConfig.WIDGET, 2);
    String serial = serialsOf(lot).get(0);

    byte[] png = rig.api().bytes("/api/labels/" + serial + "/preview.png");
    // Aimed at the symbol, as a scanner is: ZXing's DataMatrix detector starts from the centre.
    var image = ImageIO.read(new ByteArrayInputStream(png)).getSubimage(0, 0, 300, 320);
    var decoded =
        new MultiFormatReader()
            .decode(
                new BinaryBitmap(new HybridBinarizer(new BufferedImageLuminanceSource(image))),
                Map.of(DecodeHintType.TRY_HARDER, true));
    String expiry = YYMMDD.format(LocalDate.parse(lot.get("expiryDate").asText()));
    assertThat(decoded.getText())
        .isEqualTo(
            "01"
                + TestConfig.WIDGET_GTIN
                + "17"
                + expiry
                + "10"
                + lot.get("lot").asText()
                + GS
                + "21"
                + serial);
    assertThat(rig.api().call("GET", "/api/labels/nope/preview.png").status()).isEqualTo(404);
  }

  /**
   * SPEC section 9 on a line without a scanner: a printed label accounts for its serial. Labels
   * kept in the printer queue (paper out) leave the lot unaccounted and it cannot close; scrapping,
   * sampling and voiding account for printed ones; a closed lot takes no reprint or scrap.
   */
  @Test
  void aLotClosesOnceEverySerialIsAccountedForAndThenTakesNoMoreLabels() throws Exception {
    unitPrinter.fault(PrinterFault.PAPER_OUT);
    JsonNode made = rig.publishAndAwaitLot("L1", TestConfig.WIDGET, 4);
    String lot = made.get("lot").asText();
    List<String> serials = serialsOf(made);
    GatewayApi operator = rig.api().as("op-olga", Role.OPERATOR);
    GatewayApi supervisor = rig.api().as("qa-sam", Role.SUPERVISOR);

    GatewayApi.Answer refused = supervisor.post("/api/lots/" + lot + "/close", "{}");
    assertThat(refused.status()).isEqualTo(409);
    assertThat(refused.body().get("error").asText()).isEqualTo("lot not reconciled");
    assertThat(refused.body().get("unaccounted").asInt()).isEqualTo(4);
    assertThat(refused.body().get("assigned").asInt()).isEqualTo(4);
    assertThat(
            supervisor
                .post("/api/serials/" + serials.get(0) + "/void", "{\"reason\": \"lost\"}")
                .body()
                .get("error")
                .asText())
        .as("its label would still come out of the printer")
        .isEqualTo("label not printed yet");

    unitPrinter.fault(PrinterFault.NONE);
    await()
        .atMost(PATIENCE)
        .until(() -> rig.api().get("/api/lots/" + lot).at("/serialCounts/printed").asInt() == 4);
    assertThat(operator.post("/api/serials/" + serials.get(0) + "/scrap", "{}").status())
        .as("a reason is required")
        .isEqualTo(400);
    GatewayApi.Answer scrapped =
        operator.post("/api/serials/" + serials.get(0) + "/scrap", "{\"reason\": \"label torn\"}");
    assertThat(scrapped.status()).isEqualTo(200);
    assertThat(scrapped.body().get("from").asText()).isEqualTo("printed");
    assertThat(scrapped.body().get("to").asText()).isEqualTo("rejected");
    // WIDGET-100 reprints the same serial (serials.reprint's default): the unit is labelled again.
    assertThat(scrapped.body().get("replacement").asText()).isEqualTo(serials.get(0));
    await().atMost(PATIENCE).until(() -> unitPrinter.labels().size() == 5);
    assertThat(serialOn(unitPrinter.labels().get(4))).isEqualTo(serials.get(0));
    await()
        .atMost(PATIENCE)
        .until(
            () ->
                rig.api()
                    .get("/api/serials/" + serials.get(0))
                    .get("status")
                    .asText()
                    .equals("printed"));
    assertThat(
            operator
                .post("/api/serials/" + serials.get(1) + "/sample", "{\"reason\": \"QA\"}")
                .status())
        .as("sampling is a supervisor's")
        .isEqualTo(403);
    assertThat(
            supervisor
                .post("/api/serials/" + serials.get(1) + "/sample", "{\"reason\": \"QA retain\"}")
                .status())
        .isEqualTo(200);
    assertThat(
            supervisor
                .post("/api/serials/" + serials.get(2) + "/void", "{\"reason\": \"unit dropped\"}")
                .status())
        .isEqualTo(200);
    assertThat(
            supervisor
                .post("/api/serials/" + serials.get(2) + "/scrap", "{\"reason\": \"again\"}")
                .body()
                .get("error")
                .asText())
        .isEqualTo("serial is voided");
    JsonNode counts = rig.api().get("/api/lots/" + lot + "/reconciliation");
    assertThat(counts.get("printed").asInt()).isEqualTo(2);
    assertThat(counts.get("rejected").asInt()).isZero();
    assertThat(counts.get("sampled").asInt()).isEqualTo(1);
    assertThat(counts.get("voided").asInt()).isEqualTo(1);
    assertThat(counts.get("serials").asInt()).isEqualTo(4);
    assertThat(counts.get("unaccounted").asInt()).isZero();
    assertThat(counts.get("closed").asBoolean()).isFalse();

    GatewayApi.Answer closed =
        supervisor.post("/api/lots/" + lot + "/close", "{\"reason\": \"end of shift\"}");
    assertThat(closed.status()).isEqualTo(200);
    assertThat(closed.body().get("closedBy").asText()).isEqualTo("qa-sam");
    assertThat(supervisor.post("/api/lots/" + lot + "/close", "{}").body().get("error").asText())
        .isEqualTo("already closed");
    assertThat(
            operator
                .post("/api/serials/" + serials.get(3) + "/reprint", "{\"reason\": \"smudged\"}")
                .body()
                .get("error")
                .asText())
        .isEqualTo("lot is closed");
    assertThat(
            operator
                .post("/api/serials/" + serials.get(3) + "/scrap", "{\"reason\": \"smudged\"}")
                .body()
                .get("error")
                .asText())
        .isEqualTo("lot is closed");

    await().atMost(PATIENCE).until(() -> eventsOf(lot, "dev.linegate.lot.closed").size() == 1);
    JsonNode event = eventsOf(lot, "dev.linegate.lot.closed").get(0).data();
    assertThat(event.get("sampled").asInt()).isEqualTo(1);
    assertThat(event.get("by").asText()).isEqualTo("qa-sam");
    assertThat(
            eventsOf(lot, "dev.linegate.serial.status-changed").stream()
                .map(e -> e.data().get("serial").asText() + " " + e.data().get("to").asText()))
        .containsExactly(
            serials.get(0) + " rejected", serials.get(1) + " sampled", serials.get(2) + " voided");
    JsonNode audit = rig.api().get("/api/audit?limit=20").get("items");
    assertThat(audit.findValuesAsText("action")).contains("serial.scrap", "lot.close");
    JsonNode history = rig.api().get("/api/serials/" + serials.get(0)).get("history");
    assertThat(history.findValuesAsText("event"))
        .containsSubsequence("printed", "rejected", "printed");
    assertThat(history.toString()).contains("printed -> rejected: label torn (by op-olga)");
  }

  /**
   * GADGET-7 says {@code serials.reprint: newSerial}: the label replacing a scrapped one carries a
   * new serial of the lot, and the lot's serials count it.
   */
  @Test
  void aScrappedLabelOfANewSerialProductIsReplacedByANewSerial() throws Exception {
    JsonNode made = rig.publishAndAwaitLot("L1", TestConfig.GADGET, 2);
    String lot = made.get("lot").asText();
    List<String> serials = serialsOf(made);
    await()
        .atMost(PATIENCE)
        .until(() -> rig.api().get("/api/lots/" + lot).at("/serialCounts/printed").asInt() == 2);

    GatewayApi.Answer scrapped =
        rig.api()
            .as("op-olga", Role.OPERATOR)
            .post("/api/serials/" + serials.get(0) + "/scrap", "{\"reason\": \"smudged\"}");
    assertThat(scrapped.status()).isEqualTo(200);
    String replacement = scrapped.body().get("replacement").asText();
    assertThat(replacement).isNotIn(serials);

    await().atMost(PATIENCE).until(() -> unitPrinter.labels().size() == 3);
    assertThat(serialOn(unitPrinter.labels().get(2))).isEqualTo(replacement);
    await()
        .atMost(PATIENCE)
        .until(
            () ->
                rig.api().get("/api/lots/" + lot + "/reconciliation").get("printed").asInt() == 2);
    JsonNode counts = rig.api().get("/api/lots/" + lot + "/reconciliation");
    assertThat(counts.get("serials").asInt()).as("its quantity and the new serial").isEqualTo(3);
    assertThat(counts.get("rejected").asInt()).isEqualTo(1);
    assertThat(serialsOf(made)).containsExactly(serials.get(0), serials.get(1), replacement);
  }

  /** A lot that does not balance closes only with a supervisor's signature, on its counts. */
  @Test
  void anUnbalancedLotClosesWithASupervisorsSignature() throws Exception {
    unitPrinter.fault(PrinterFault.PAPER_OUT);
    String lot = rig.publishAndAwaitLot("L1", TestConfig.WIDGET, 2).get("lot").asText();
    GatewayApi supervisor = rig.api().as("qa-sam", Role.SUPERVISOR);

    assertThat(
            supervisor
                .post(
                    "/api/lots/" + lot + "/close",
                    "{\"signature\": {\"password\": \"wrong-password-9\", \"meaning\": \"approved\"}}")
                .status())
        .isEqualTo(403);
    GatewayApi.Answer signed =
        supervisor.post(
            "/api/lots/" + lot + "/close",
            "{\"reason\": \"line stopped, labels destroyed\", " + TestUsers.SIGNATURE + "}");
    assertThat(signed.status()).isEqualTo(200);
    assertThat(signed.body().get("unaccounted").asInt()).isEqualTo(2);
    await().atMost(PATIENCE).until(() -> eventsOf(lot, "dev.linegate.lot.closed").size() == 1);
  }

  /**
   * Holding a lot stops its queued labels while the jobs behind it print; releasing it prints them;
   * recalling a lot cancels its queued labels and voids their serials (SPEC section 9).
   */
  @Test
  void aHeldLotsLabelsWaitReleasedTheyPrintAndARecalledLotsAreCancelled() throws Exception {
    unitPrinter.fault(PrinterFault.PAPER_OUT);
    JsonNode held = rig.publishAndAwaitLot("L1", TestConfig.WIDGET, 5);
    JsonNode next = rig.publishAndAwaitLot("L1", TestConfig.WIDGET, 3);
    JsonNode recalled = rig.publishAndAwaitLot("L1", TestConfig.WIDGET, 4);
    GatewayApi supervisor = rig.api().as("qa-sam", Role.SUPERVISOR);
    String heldLot = held.get("lot").asText();
    String recalledLot = recalled.get("lot").asText();
    assertThat(
            supervisor
                .post("/api/lots/" + heldLot + "/hold", "{\"reason\": \"deviation\"}")
                .status())
        .isEqualTo(200);
    assertThat(
            supervisor
                .post(
                    "/api/lots/" + recalledLot + "/recall",
                    "{\"reason\": \"wrong batch\", " + TestUsers.SIGNATURE + "}")
                .status())
        .isEqualTo(200);

    unitPrinter.fault(PrinterFault.NONE);
    await()
        .atMost(PATIENCE)
        .until(
            () ->
                rig.api().get("/api/lots/" + recalledLot + "/reconciliation").get("voided").asInt()
                    == 4);
    await().atMost(PATIENCE).until(() -> unitPrinter.labels().size() == 3);
    assertThat(unitPrinter.labels().stream().map(LabelsIT::serialOn))
        .as("only the lot behind the held one")
        .containsExactlyElementsOf(serialsOf(next));
    assertThat(rig.api().get("/api/lots/" + heldLot + "/reconciliation").get("assigned").asInt())
        .isEqualTo(5);
    await()
        .atMost(PATIENCE)
        .until(
            () ->
                printerCheck("P1")
                    .get("detail")
                    .asText()
                    .equals("ready; 5 label(s) of lots on hold wait for their release"));
    await()
        .atMost(PATIENCE)
        .until(
            () ->
                eventsOf(recalledLot, "dev.linegate.label.failed").stream()
                    .anyMatch(e -> e.data().get("fault").asText().startsWith("lot recalled")));

    assertThat(
            supervisor
                .post(
                    "/api/lots/" + heldLot + "/release",
                    "{\"reason\": \"deviation closed\", " + TestUsers.SIGNATURE + "}")
                .status())
        .isEqualTo(200);
    await().atMost(PATIENCE).until(() -> unitPrinter.labels().size() == 8);
    assertThat(unitPrinter.labels().subList(3, 8).stream().map(LabelsIT::serialOn))
        .containsExactlyElementsOf(serialsOf(held));
    assertThat(unitPrinter.labels().stream().map(LabelsIT::serialOn))
        .as("no label of the recalled lot")
        .doesNotContainAnyElementsOf(serialsOf(recalled));
  }

  private List<ErpEvent> eventsOf(String lot, String type) {
    return rig.erp().events().stream()
        .filter(e -> e.type().equals(type) && e.data().path("lot").asText().equals(lot))
        .toList();
  }

  private List<String> serialsOf(JsonNode lot) {
    List<String> serials = new ArrayList<>();
    for (JsonNode serial :
        rig.api()
            .get("/api/lots/" + lot.get("lot").asText() + "/serials?limit=1000")
            .get("items")) {
      serials.add(serial.get("serial").asText());
    }
    return serials;
  }

  private Set<String> printedSerialsAtErp() {
    Set<String> serials = new HashSet<>();
    rig.erp().events().stream()
        .filter(e -> e.type().equals("dev.linegate.label.printed"))
        .forEach(e -> e.data().get("serials").forEach(s -> serials.add(s.asText())));
    return serials;
  }

  private int uncertainCount() {
    return rig.api().get("/api/labels/uncertain?limit=1000").get("items").size();
  }

  private JsonNode printerCheck(String printer) {
    for (JsonNode check : rig.api().call("GET", "/health").body().get("checks")) {
      if (check.get("name").asText().equals("printer:" + printer)) {
        return check;
      }
    }
    throw new AssertionError("no health check for printer " + printer);
  }

  static String serialOn(PrintedLabel label) {
    String data = label.barcodes().get(0).data();
    return data.substring(data.lastIndexOf(GS + "21") + 3);
  }
}
