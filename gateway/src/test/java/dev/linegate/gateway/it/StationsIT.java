package dev.linegate.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.linegate.simulator.printer.SimulatedPrinter;
import dev.linegate.simulator.scanner.ReadRates;
import dev.linegate.simulator.scanner.ScanBack;
import dev.linegate.simulator.scanner.ScannerSettings;
import dev.linegate.simulator.scanner.SimulatedScanner;
import dev.linegate.simulator.serial.VirtualSerialPair;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A scanner station through real wires: labels printed by the simulated printer on one socat pair
 * are scanned back by the simulated scanner on another, and the gateway judges every scan.
 */
class StationsIT {

  private static final Duration PATIENCE = Duration.ofSeconds(30);
  private static final String GS = "\u001D";

  @TempDir Path dir;
  private MqttRig rig;
  private VirtualSerialPair printerCable;
  private VirtualSerialPair scannerCable;
  private SimulatedPrinter printer;
  private SimulatedScanner scanner;

  @BeforeEach
  void start() throws Exception {
    rig = MqttRig.start();
    printerCable = VirtualSerialPair.create(dir, "printer");
    scannerCable = VirtualSerialPair.create(dir, "scanner");
    printer = SimulatedPrinter.start().listenSerial(printerCable.b());
    scanner =
        SimulatedScanner.open(
            scannerCable.b(),
            ScannerSettings.DEFAULT.withAim(ScannerSettings.GS1_DATAMATRIX).withSeed(7));
    rig.startGateway(
        TestConfig.writeStation(
            dir,
            rig.httpPort(),
            rig.broker().url(),
            rig.erp().url(),
            printerCable.a().toString(),
            scannerCable.a().toString()),
        "L1");
    await().atMost(PATIENCE).until(() -> check("scanner:S1").equals("UP"));
  }

  @AfterEach
  void stop() throws Exception {
    rig.stopGateway();
    scanner.close();
    printer.close();
    scannerCable.close();
    printerCable.close();
    rig.close();
  }

  @Test
  void scanningBackAHundredPrintedLabelsVerifiesAHundredSerials() throws Exception {
    String lot = printLot(100);

    List<ScanBack> scans = scanner.scanBack(printer, ReadRates.PERFECT);
    assertThat(scans).hasSize(100);
    await()
        .atMost(PATIENCE)
        .until(() -> rig.api().get("/api/lots/" + lot).at("/serialCounts/verified").asInt() == 100);
    await()
        .atMost(PATIENCE)
        .until(
            () ->
                rig.erp().events().stream()
                        .filter(e -> e.type().equals("dev.linegate.label.verified"))
                        .count()
                    == 100);
    JsonNode latest = rig.api().get("/api/scans?line=L1&limit=100").get("items");
    assertThat(latest.findValuesAsText("verdict")).hasSize(100).containsOnly("ok");
  }

  @Test
  void aMismatchAnUnknownSerialARecalledLotAndASecondScanAreFlaggedWithReasonsAndGarbageIsRejected()
      throws Exception {
    String lot = printLot(3);
    String label = printer.labels().get(0).barcodes().get(0).data();
    String serial = label.substring(label.lastIndexOf(GS + "21") + 3);

    assertThat(verdictOf(label)).isEqualTo("ok: verified");
    assertThat(verdictOf(label)).startsWith("flagged: scanned twice");
    assertThat(verdictOf(label.replace("10" + lot, "10X" + lot.substring(1))))
        .startsWith("flagged: label does not match what was printed: lot X");
    assertThat(verdictOf(label.replace("21" + serial, "21999999999999")))
        .isEqualTo("flagged: unknown serial 999999999999 for GTIN " + TestConfig.WIDGET_GTIN);
    assertThat(verdictOf("%%garbage%%")).startsWith("rejected: ");
    assertThat(rig.api().get("/api/rejects").get("items").get(0).get("kind").asText())
        .isEqualTo("scan");

    assertThat(
            rig.api()
                .post(
                    "/api/lots/" + lot + "/recall",
                    "{\"reason\": \"complaint\", " + TestUsers.SIGNATURE + "}")
                .status())
        .isEqualTo(200);
    String other = printer.labels().get(1).barcodes().get(0).data();
    assertThat(verdictOf(other)).isEqualTo("flagged: lot " + lot + " is recalled");
    assertThat(rig.api().get("/api/lots/" + lot).at("/serialCounts/verified").asInt())
        .as("only the first good scan verified")
        .isEqualTo(1);
  }

  @Test
  void misreadLabelsNeverVerifyAndLabelsNotScannedInTimeAreListed() throws Exception {
    String lot = printLot(5);
    List<ScanBack> scans = scanner.scanBack(printer.labels().subList(0, 2), new ReadRates(0, 1));
    assertThat(scans).allMatch(s -> s.outcome() == ScanBack.Outcome.MISREAD);
    await()
        .atMost(PATIENCE)
        .until(() -> rig.api().get("/api/scans?line=L1").get("items").size() == 2);
    assertThat(rig.api().get("/api/scans?line=L1").get("items").findValuesAsText("verdict"))
        .doesNotContain("ok");
    assertThat(rig.api().get("/api/lots/" + lot).at("/serialCounts/verified").asInt()).isZero();

    // verifyWithinSeconds is 1 in this configuration: all five are overdue soon.
    await()
        .atMost(PATIENCE)
        .until(() -> rig.api().get("/api/labels/unverified?line=L1").get("items").size() == 5);
    await()
        .atMost(PATIENCE)
        .until(() -> rig.api().metrics().contains("linegate_labels_unverified{line=\"L1\"} 5.0"));
    scanner.scanBack(printer.labels().subList(0, 1), ReadRates.PERFECT);
    await()
        .atMost(PATIENCE)
        .until(() -> rig.api().get("/api/labels/unverified?line=L1").get("items").size() == 4);
  }

  /** Sends one scan and waits for the gateway's verdict on it, as the station screen shows it. */
  private String verdictOf(String code) {
    int before = rig.api().get("/api/scans?line=L1&limit=1000").get("items").size();
    scanner.scan(code);
    await()
        .atMost(PATIENCE)
        .until(
            () -> rig.api().get("/api/scans?line=L1&limit=1000").get("items").size() == before + 1);
    JsonNode latest = rig.api().get("/api/scans?line=L1&limit=1").get("items").get(0);
    return latest.get("verdict").asText() + ": " + latest.get("reason").asText();
  }

  private String printLot(int units) throws Exception {
    String lot = rig.publishAndAwaitLot("L1", TestConfig.WIDGET, units).get("lot").asText();
    await()
        .atMost(PATIENCE)
        .until(
            () -> rig.api().get("/api/lots/" + lot).at("/serialCounts/printed").asInt() == units);
    return lot;
  }

  private String check(String name) {
    for (JsonNode check : rig.api().call("GET", "/health").body().get("checks")) {
      if (check.get("name").asText().equals(name)) {
        return check.get("status").asText();
      }
    }
    return "missing";
  }
}
