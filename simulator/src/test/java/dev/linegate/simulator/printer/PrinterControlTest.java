package dev.linegate.simulator.printer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Tests in other processes (and demos) drive the printer over HTTP. */
class PrinterControlTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http = HttpClient.newHttpClient();
  private SimulatedPrinter printer;
  private int tcpPort;
  private int controlPort;

  @BeforeEach
  void start() {
    printer = SimulatedPrinter.start();
    tcpPort = printer.listenTcp(0);
    controlPort = printer.serveControl("127.0.0.1", 0);
  }

  @AfterEach
  void stop() {
    printer.close();
  }

  @Test
  void faultsLabelsAndSpeedAreControlledOverHttp() throws Exception {
    assertThat(call("POST", "/fault/pause").get("fault").asText()).isEqualTo("pause");
    try (HostEnd host = HostEnd.tcp(tcpPort)) {
      host.write(SimulatedPrinterTest.label("over http"));
      await().until(() -> call("GET", "/status").get("labelsRemaining").asInt() == 1);
      assertThat(host.hostStatus()).contains("030,0,1,");
    }

    call("POST", "/fault/none");
    await().until(() -> call("GET", "/labels").size() == 1);
    JsonNode label = call("GET", "/labels").get(0);
    assertThat(label.get("texts").get(0).asText()).isEqualTo("over http");
    assertThat(label.get("sequence").asLong()).isEqualTo(1);

    call("DELETE", "/labels");
    assertThat(call("GET", "/labels")).isEmpty();

    call("POST", "/fault/paper-out");
    assertThat(printer.fault()).isEqualTo(PrinterFault.PAPER_OUT);
    assertThat(send("POST", "/fault/out-of-coffee").statusCode()).isEqualTo(400);
    assertThat(send("POST", "/speed?labelsPerSecond=fast").statusCode()).isEqualTo(400);
    assertThat(send("POST", "/speed?labelsPerSecond=2.5").statusCode()).isEqualTo(200);
  }

  /** A powered-off network printer refuses connections, and is back on the same port. */
  @Test
  void disconnectClosesThePrinterPortAndConnectOpensItAgain() throws Exception {
    assertThat(call("POST", "/disconnect").get("connected").asBoolean()).isFalse();
    assertThatThrownBy(
            () -> new Socket().connect(new InetSocketAddress("127.0.0.1", tcpPort), 1_000))
        .isInstanceOf(ConnectException.class);

    call("POST", "/connect");
    try (HostEnd host = HostEnd.tcp(tcpPort)) {
      assertThat(HostEnd.threeFrames(host.hostStatus())).isTrue();
    }
  }

  private JsonNode call(String method, String path) throws Exception {
    HttpResponse<String> response = send(method, path);
    assertThat(response.statusCode()).as(method + " " + path).isEqualTo(200);
    return JSON.readTree(response.body());
  }

  private HttpResponse<String> send(String method, String path) throws Exception {
    var request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + controlPort + path))
            .method(method, HttpRequest.BodyPublishers.noBody())
            .build();
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }
}
