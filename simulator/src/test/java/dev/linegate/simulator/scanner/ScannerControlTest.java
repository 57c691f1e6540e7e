package dev.linegate.simulator.scanner;

import static dev.linegate.simulator.scanner.SimulatedScannerTest.ELEMENT_STRING;
import static dev.linegate.simulator.scanner.SimulatedScannerTest.GS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.linegate.simulator.printer.SimulatedPrinter;
import dev.linegate.simulator.serial.VirtualSerialPair;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tests in other processes (and demos) scan over HTTP; the scans arrive on the serial cable. */
class ScannerControlTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration WITHIN = Duration.ofSeconds(5);

  private final HttpClient http = HttpClient.newHttpClient();
  @TempDir Path dir;
  private VirtualSerialPair cable;
  private GatewayEnd gateway;
  private SimulatedScanner scanner;
  private int controlPort;

  @BeforeEach
  void start() throws Exception {
    cable = VirtualSerialPair.create(dir, "scanner");
    gateway = GatewayEnd.open(cable.a());
    scanner = SimulatedScanner.open(cable.b(), ScannerSettings.DEFAULT.withAim("]d2"));
    controlPort = scanner.serveControl("127.0.0.1", 0);
  }

  @AfterEach
  void stop() {
    scanner.close();
    gateway.close();
    cable.close();
  }

  @Test
  void aPostedCodeIsScannedWithGsKeptAndTheNamedOrDefaultIdentifier() throws Exception {
    HttpResponse<String> dataMatrix = post("/scan", ELEMENT_STRING);
    HttpResponse<String> gs1128 = post("/scan?aim=%5DC1", "0109506000134352");

    assertThat(dataMatrix.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(dataMatrix.body()).get("sent").asText())
        .isEqualTo("]d2" + ELEMENT_STRING);
    assertThat(gs1128.statusCode()).isEqualTo(200);
    String expected = "]d2" + ELEMENT_STRING + "\r" + "]C1" + "0109506000134352" + "\r";
    assertThat(gateway.read(expected.length(), WITHIN)).isEqualTo(expected);
    assertThat(post("/scan", "").statusCode()).isEqualTo(400);
  }

  @Test
  void garbageIsSentAndReportedAsBase64() throws Exception {
    HttpResponse<String> response = post("/garbage", "");

    assertThat(response.statusCode()).isEqualTo(200);
    byte[] noise =
        Base64.getDecoder().decode(JSON.readTree(response.body()).get("sentBase64").asText());
    String expected = new String(noise, StandardCharsets.ISO_8859_1) + "\r";
    assertThat(gateway.read(expected.length(), WITHIN)).isEqualTo(expected);
  }

  /** The demo's loop: the printer prints, the operator scans the labels back over HTTP. */
  @Test
  void scanBackFetchesThePrintersLabelsOverHttpAndScansThemBack() throws Exception {
    try (var printer = SimulatedPrinter.start()) {
      int printerControl = printer.serveControl("127.0.0.1", 0);
      SimulatedScannerTest.print(
          printer,
          "^XA^FO20,20^BXN,6,200,,,,_^FD_10109506000134352"
              + "10L1_121SER1^FS^XZ"
              + "^XA^FO20,20^BXN,6,200,,,,_^FD_10109506000134352"
              + "10L1_121SER2^FS^XZ");
      await().until(() -> printer.labels().size() == 2);

      HttpResponse<String> response =
          post("/scan-back?printer=http://127.0.0.1:" + printerControl + "&noRead=0&misread=0", "");

      assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
      JsonNode results = JSON.readTree(response.body());
      assertThat(results).hasSize(2);
      assertThat(results.get(1).get("outcome").asText()).isEqualTo("READ");
      assertThat(results.get(1).get("labelSequence").asLong()).isEqualTo(2);
      String expected =
          "]d2"
              + "0109506000134352"
              + "10L1"
              + GS
              + "21SER1"
              + "\r"
              + "]d2"
              + "0109506000134352"
              + "10L1"
              + GS
              + "21SER2"
              + "\r";
      assertThat(gateway.read(expected.length(), WITHIN)).isEqualTo(expected);
    }
  }

  @Test
  void badRatesOrNoPrinterAreTheClientsMistake() throws Exception {
    assertThat(post("/scan-back?printer=http://127.0.0.1:1&noRead=2", "").statusCode())
        .isEqualTo(400);
    assertThat(post("/scan-back?noRead=0.1", "").statusCode()).isEqualTo(400);
    HttpResponse<String> noPrinter = post("/scan-back?printer=http://127.0.0.1:1", "");
    assertThat(noPrinter.statusCode()).isEqualTo(502);
    assertThat(noPrinter.body()).contains("ConnectException");
  }

  private HttpResponse<String> post(String path, String body) throws Exception {
    var request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + controlPort + path))
            .POST(
                HttpRequest.BodyPublishers.ofByteArray(body.getBytes(StandardCharsets.ISO_8859_1)))
            .build();
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }
}
