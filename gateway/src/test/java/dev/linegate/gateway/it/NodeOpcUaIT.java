package dev.linegate.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.linegate.gateway.Gateway;
import dev.linegate.simulator.erp.ErpEvent;
import dev.linegate.simulator.erp.SimulatedErp;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway against an OPC UA server that is not Milo: node-opcua playing the PLC ({@code
 * interop/node-opcua/plc.js}). The OPC UA lines issue asks that any compliant server works; this is
 * the proof that the connector keeps to standard services and resolves namespaces by URI.
 */
class NodeOpcUaIT {

  private static final Duration PATIENCE = Duration.ofSeconds(60);
  private static final Path PLC_SCRIPT = Path.of("../interop/node-opcua/plc.js");
  private static final String NAMESPACE = "urn:linegate:interop:node-opcua";

  @TempDir Path dir;
  private NodePlc plc;
  private SimulatedErp erp;
  private GatewayApi api;
  private int httpPort;

  @BeforeEach
  void start() {
    erp = SimulatedErp.start(0);
    httpPort = TestConfig.freePort();
    api = new GatewayApi(httpPort, dir.resolve("data"));
  }

  @AfterEach
  void stop() {
    if (plc != null) {
      plc.close();
    }
    erp.close();
  }

  /** L2's quantity is a UInt16 on node-opcua: 40,000 is past what a signed 16-bit integer holds. */
  @Test
  void batchesOnTwoLinesOfANodeOpcUaPlcBecomeOneLotEachAndThePlcReadsThemBack() throws Exception {
    plc = NodePlc.start(dir.resolve("plc-pki"), "--security", "none");
    try (Gateway gateway = startGateway("")) {
      raise("L1", "B-1", 12);
      raise("L2", "B-1", 7);
      raise("L1", "B-2", 5);
      raise("L2", "B-2", 40_000);
      raise("L1", "B-3", 3);
      raise("L2", "B-3", 2);

      assertEveryBatchGotOneLotAndThePlcReadItBack(6);
      assertThat(api.lotOfBatch("L2", "B-2").orElseThrow().get("quantity").asInt())
          .isEqualTo(40_000);
      assertThat(api.lotOfBatch("L1", "B-1").orElseThrow().get("quantity").asInt()).isEqualTo(12);
    }
  }

  /**
   * Basic256Sha256 with SignAndEncrypt and a user name, the way a plant runs it. The server's
   * certificate is trusted the way an operator does it: placed in {@code
   * {dataDir}/pki/trusted/certs} before the gateway starts, with {@code trustAllCertificates} off.
   */
  @Test
  void
      aSignedAndEncryptedSessionWithAUserNameRunsTheHandshakeWithTheServerCertificateTrustedByFile()
          throws Exception {
    plc =
        NodePlc.start(
            dir.resolve("plc-pki"),
            "--security",
            "sign-and-encrypt",
            "--user",
            "line-gateway",
            "--password",
            "s3cret pass");
    Path trusted = dir.resolve("data/pki/trusted/certs");
    Files.createDirectories(trusted);
    Files.write(trusted.resolve("node-opcua-plc.der"), plc.certificate().getEncoded());
    String security =
        """
        security: { policy: Basic256Sha256, mode: SignAndEncrypt }
        username: line-gateway
        password: "s3cret pass"
        trustAllCertificates: false""";
    try (Gateway gateway = startGateway(security)) {
      raise("L1", "S-1", 4);
      raise("L2", "S-1", 9);
      raise("L1", "S-2", 6);
      raise("L2", "S-2", 1);

      assertEveryBatchGotOneLotAndThePlcReadItBack(4);
      assertThat(dir.resolve("data/pki/rejected/certs")).isEmptyDirectory();
      assertThat(api.call("GET", "/health").body().get("status").asText()).isEqualTo("UP");
    }
  }

  private Gateway startGateway(String settings) throws Exception {
    Path config =
        TestConfig.writeOpcUa(dir, httpPort, plc.endpointUrl(), NAMESPACE, settings, erp.url());
    return InProcessGateway.start(config);
  }

  private void raise(String line, String batchId, int quantity) {
    plc.command("raise " + line + " " + batchId + " " + TestConfig.WIDGET + " " + quantity);
  }

  /**
   * Each batch: one lot, the lot the PLC read from its Lot node, the whole handshake done, the lot
   * at the ERP.
   */
  private void assertEveryBatchGotOneLotAndThePlcReadItBack(int batches) {
    await()
        .atMost(PATIENCE)
        .untilAsserted(() -> assertThat(plc.events("released")).hasSize(batches));
    List<String> ackedLots = new ArrayList<>();
    for (String acked : plc.events("acked")) {
      String[] words = acked.split(" ");
      String lot =
          api.lotOfBatch(words[1], words[2])
              .orElseThrow(() -> new AssertionError("no lot for " + acked))
              .get("lot")
              .asText();
      assertThat(words[3])
          .as("the lot the PLC read back for %s %s", words[1], words[2])
          .isEqualTo(lot);
      ackedLots.add(lot);
    }
    assertThat(ackedLots).hasSize(batches).doesNotHaveDuplicates();
    assertThat(api.count("/api/lots")).isEqualTo(batches);
    await()
        .atMost(PATIENCE)
        .untilAsserted(() -> assertThat(erp.events("dev.linegate.lot.completed")).hasSize(batches));
    assertThat(erp.events("dev.linegate.lot.completed"))
        .map(ErpEvent::data)
        .map(data -> data.get("lot").asText())
        .containsExactlyInAnyOrderElementsOf(ackedLots);
  }

  /** {@code node plc.js} as a child process: commands on its stdin, events read from its stdout. */
  private static final class NodePlc implements AutoCloseable {

    private final Process process;
    private final Writer stdin;
    private final List<String> output = new CopyOnWriteArrayList<>();

    private NodePlc(Process process) {
      this.process = process;
      this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
      Thread reader = new Thread(() -> read(process.getInputStream()), "node-opcua-plc");
      reader.setDaemon(true);
      reader.start();
    }

    static NodePlc start(Path pki, String... options) throws IOException {
      assertThat(PLC_SCRIPT.resolveSibling("node_modules/node-opcua"))
          .as(
              "node-opcua is not installed: ./linegate test installs it (npm ci in interop/node-opcua)")
          .isDirectory();
      List<String> command =
          new ArrayList<>(
              List.of(
                  "node",
                  PLC_SCRIPT.toString(),
                  "--port",
                  String.valueOf(TestConfig.freePort()),
                  "--lines",
                  "L1,L2",
                  "--pki",
                  pki.toString()));
      command.addAll(List.of(options));
      NodePlc plc = new NodePlc(new ProcessBuilder(command).redirectErrorStream(true).start());
      try {
        await()
            .atMost(PATIENCE)
            .until(() -> plc.event("listening").isPresent() || !plc.process.isAlive());
        assertThat(plc.event("listening"))
            .as("node-opcua PLC did not start: %s", plc.output)
            .isPresent();
        return plc;
      } catch (RuntimeException | AssertionError e) {
        // Not handed to the test yet, so its @AfterEach cannot stop it.
        plc.process.destroyForcibly();
        throw e;
      }
    }

    /** The URL the server announces: its host name is the one in its certificate. */
    String endpointUrl() {
      return event("listening").orElseThrow().split(" ")[1];
    }

    X509Certificate certificate() throws Exception {
      Path pem = Path.of(event("certificate").orElseThrow().split(" ", 2)[1]);
      try (InputStream in = Files.newInputStream(pem)) {
        return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
      }
    }

    void command(String line) {
      try {
        stdin.write(line + "\n");
        stdin.flush();
      } catch (IOException e) {
        throw new UncheckedIOException("the node-opcua PLC is gone: " + output, e);
      }
    }

    /** The event lines {@code <kind> ...} printed so far, in order. */
    List<String> events(String kind) {
      return output.stream().filter(line -> line.startsWith(kind + " ")).toList();
    }

    Optional<String> event(String kind) {
      return events(kind).stream().findFirst();
    }

    private void read(InputStream in) {
      try (BufferedReader lines =
          new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
          output.add(line);
          System.out.println("[node-opcua plc] " + line);
        }
      } catch (IOException e) {
        output.add("error reading the PLC's output: " + e);
      }
    }

    @Override
    public void close() {
      process.destroy();
      try {
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        process.destroyForcibly();
      }
    }
  }
}
