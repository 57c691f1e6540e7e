package dev.linegate.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.linegate.connectors.Backoff;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

  private static final String VALID =
      """
      gateway:
        id: edge-01
        dataDir: ./data
        http: { host: 127.0.0.1, port: 8080 }
      products:
        - code: WIDGET-100
          gtin: "09506000134352"
          shelfLifeDays: 730
          serials: { mode: random, length: 12, alphabet: numeric }
      lines:
        - id: L1
          lotPattern: "{line}{yy}{julian}{seq:3}"
          source:
            mqtt: { broker: "tcp://127.0.0.1:1883", topic: plant/L1/batch-complete }
      erp:
        url: http://127.0.0.1:8081/api/events
      """;

  @TempDir Path dir;

  @Test
  void theShippedConfigurationsLoad() throws Exception {
    GatewayConfig demo =
        new ConfigLoader(Map.of("LINEGATE_HOME", "..")).load(Path.of("../config/demo.yaml"));
    assertThat(demo.lines()).extracting(LineConfig::id).containsExactly("L1", "L2");
    assertThat(demo.lines().get(1).opcua()).isPresent();
    assertThat(demo.printers()).extracting(PrinterConfig::id).containsExactly("P1", "P2", "P3");
    assertThat(demo.stations()).extracting(StationConfig::id).containsExactly("PACK1");
    assertThat(
            new ConfigLoader(Map.of("LINEGATE_HOME", ".."))
                .load(Path.of("../config/example-plant.yaml"))
                .erp()
                .concurrency())
        .isEqualTo(8);
  }

  @Test
  void environmentVariablesAndTheirDefaultsAreSubstituted() throws Exception {
    GatewayConfig config =
        load(
            VALID
                .replace("port: 8080", "port: \"${HTTP_PORT:-9090}\"")
                .replace("id: edge-01", "id: ${GATEWAY_ID}"),
            Map.of("GATEWAY_ID", "edge-07"));
    assertThat(config.http().port()).isEqualTo(9090);
    assertThat(config.id()).isEqualTo("edge-07");
    assertThat(config.lines().get(0).mqtt().orElseThrow().clientId())
        .isEqualTo("linegate-edge-07-L1");
  }

  @Test
  void anUnsetVariableWithoutDefaultNamesTheKey() {
    assertThat(problems(VALID.replace("id: edge-01", "id: ${GATEWAY_ID}")))
        .contains("gateway.id: environment variable GATEWAY_ID is not set");
  }

  @Test
  void aMissingKeyIsNamed() {
    assertThat(problems(VALID.replace("  id: edge-01\n", ""))).contains("gateway.id: is required");
    assertThat(problems(VALID.replace("    shelfLifeDays: 730\n", "")))
        .contains("products[0].shelfLifeDays: is required");
  }

  @Test
  void theDiskMinimumAndTheLogFormatHaveDefaultsAndNamedErrors() throws Exception {
    GatewayConfig defaults = load(VALID, Map.of());
    assertThat(defaults.minFreeDiskMb()).isEqualTo(256);
    assertThat(defaults.logging().json()).isFalse();
    String set =
        VALID.replace("  id: edge-01\n", "  id: edge-01\n  minFreeDiskMb: 0\n")
            + "logging: { format: json }\n";
    assertThat(load(set, Map.of()).minFreeDiskMb()).isZero();
    assertThat(load(set, Map.of()).logging().json()).isTrue();
    assertThat(problems(set.replace("minFreeDiskMb: 0", "minFreeDiskMb: -1")))
        .contains("gateway.minFreeDiskMb: must be between 0 and 1000000, not -1");
    assertThat(problems(set.replace("format: json", "format: xml")))
        .contains("logging.format: must be one of")
        .contains("not \"xml\"");
  }

  /**
   * While the ERP is down one event probes it; the probe pause's maximum bounds the wait after its
   * return.
   */
  @Test
  void theErpProbesAtMostEveryProbeMaxMs() throws Exception {
    GatewayConfig defaults = load(VALID, Map.of());
    assertThat(defaults.erp().probe().max()).isEqualTo(Duration.ofSeconds(2));
    assertThat(defaults.erp().retry().max()).isEqualTo(Duration.ofSeconds(60));
    String shortProbes =
        VALID.replace(
            "  url: http://127.0.0.1:8081/api/events",
            "  url: http://127.0.0.1:8081/api/events\n  probeMaxMs: 300");
    assertThat(load(shortProbes, Map.of()).erp().probe())
        .isEqualTo(new Backoff(Duration.ofMillis(300), Duration.ofMillis(300)));
    assertThat(problems(shortProbes.replace("probeMaxMs: 300", "probeMaxMs: 0")))
        .contains("erp.probeMaxMs: must be between 1 and 3600000, not 0");
  }

  /** A label carries the expiry as YYMMDD, which GS1 readers place at most 50 years ahead. */
  @Test
  void aShelfLifeNoLabelCanCarryIsNamed() throws Exception {
    assertThat(problems(VALID.replace("shelfLifeDays: 730", "shelfLifeDays: 36500")))
        .contains("products[0].shelfLifeDays: must be between 0 and 18250, not 36500");
    assertThat(
            load(VALID.replace("shelfLifeDays: 730", "shelfLifeDays: 18250"), Map.of())
                .productsByCode()
                .get("WIDGET-100")
                .shelfLifeDays())
        .isEqualTo(18_250);
  }

  @Test
  void aWrongGtinCheckDigitIsNamedWithTheRightOne() {
    assertThat(problems(VALID.replace("09506000134352", "09506000134353")))
        .contains("products[0].gtin: check digit is wrong")
        .contains("should end in 2");
  }

  @Test
  void aLotPatternThatCanExceedTwentyCharactersIsRefused() {
    assertThat(
            problems(
                VALID.replace("{line}{yy}{julian}{seq:3}", "{product}-{yyyy}{MM}{dd}-{seq:6}")))
        .contains(
            "lines[0].lotPattern: can produce \"WIDGET-100-20001231-999999\" (26 characters)");
  }

  @Test
  void aLotPatternWithCharactersOutsideCset82IsRefused() {
    assertThat(problems(VALID.replace("{line}{yy}{julian}{seq:3}", "{line}#{seq:3}")))
        .contains("lines[0].lotPattern")
        .contains("outside GS1 CSET 82");
  }

  @Test
  void aLineNamingAnUnknownProductPrinterOrScannerIsRefused() {
    String yaml =
        VALID.replace(
            "    lotPattern:",
            "    products: [WIDGET-100, GIZMO]\n    printer: P9\n    scanner: S9\n    labels: unit\n    lotPattern:");
    assertThat(problems(yaml))
        .contains("lines[0].products[1]: names product \"GIZMO\"")
        .contains("lines[0].printer: names printer \"P9\"")
        .contains("lines[0].scanner: names scanner \"S9\"");
  }

  @Test
  void whatWouldBreakALabelIsRefused() {
    assertThat(problems(VALID.replace("{line}{yy}{julian}{seq:3}", "{line}_{seq:3}")))
        .contains("lines[0].lotPattern: can produce \"L1_999\" with '_'");
    assertThat(problems(VALID.replace("code: WIDGET-100", "code: \"WIDGET^FS\"")))
        .contains("products[0].code: may not contain '^' or '~'");
  }

  @Test
  void randomSerialsTooShortToBeUnguessableAreRefusedSequentialOnesAreNot() throws Exception {
    assertThat(problems(VALID.replace("length: 12", "length: 5")))
        .contains(
            "products[0].serials.length: random serials of 5 characters of 10 symbols have fewer than 1,000,000 values")
        .contains("use at least 6");
    assertThat(
            problems(
                VALID.replace(
                    "length: 12, alphabet: numeric", "length: 3, alphabet: alphanumeric")))
        .contains("products[0].serials.length")
        .contains("use at least 4");
    assertThat(
            load(VALID.replace("mode: random, length: 12", "mode: sequential, length: 2"), Map.of())
                .products()
                .get(0)
                .serials()
                .length())
        .isEqualTo(2);
  }

  @Test
  void aNonNumericPortIsNamed() {
    assertThat(problems(VALID.replace("port: 8080", "port: eighty")))
        .contains("gateway.http.port: must be a whole number, not \"eighty\"");
    assertThat(problems(VALID.replace("port: 8080", "port: 99999")))
        .contains("gateway.http.port: must be between 1 and 65535");
  }

  @Test
  void everyProblemIsListedAtOnceWithTheFileName() {
    String problems =
        problems(
            VALID
                .replace("09506000134352", "123")
                .replace("port: 8080", "port: x")
                .replace("mode: random", "mode: shuffled"));
    assertThat(problems)
        .contains("config.yaml: products[0].gtin")
        .contains("config.yaml: gateway.http.port")
        .contains("config.yaml: products[0].serials.mode: must be one of");
  }

  @Test
  void misspeltKeysAreNamed() {
    assertThat(
            problems(VALID.replace("shelfLifeDays: 730", "shelfLifeDays: 730\n    shelflife: 3")))
        .contains("products[0].shelflife: is not a known key");
  }

  @Test
  void brokenYamlAndMissingFilesAreClearErrors() throws IOException {
    assertThat(problems("gateway: [unclosed")).contains("not valid YAML");
    ConfigException missing =
        catchThrowableOfType(
            ConfigException.class,
            () -> new ConfigLoader(Map.of()).load(dir.resolve("absent.yaml")));
    assertThat(missing.getMessage()).contains("absent.yaml: no such file");
  }

  @Test
  void aLabelTemplateWithAnUnknownPlaceholderOrNoFileIsRefusedAtStart() throws IOException {
    Path template = dir.resolve("bad.zpl");
    Files.writeString(template, "^XA\n^FO10,10^FD{lot}^FS\n^FO10,50^FD{lott}^FS\n^XZ\n");
    assertThat(problems(withPrinter("unit", template)))
        .contains("printers[0].template: " + template + " line 3: unknown placeholder {lott}")
        .contains("known: gtin, lot, serial");
    assertThat(problems(withPrinter("unit", dir.resolve("missing.zpl"))))
        .contains("printers[0].template: no such file: " + dir.resolve("missing.zpl"));
    Files.writeString(template, "^XA\n^FD{serial}^FS\n^PQ2\n^XZ\n");
    assertThat(problems(withPrinter("unit", template)))
        .contains("line 3: ^PQ2 prints copies, which would put one serial on several labels");
    Files.writeString(template, "{lot}");
    assertThat(problems(withPrinter("unit", template)))
        .contains("is not a ZPL label: it needs ^XA at the start and ^XZ at the end");
  }

  @Test
  void aLotLabelLineCannotUseATemplateThatPrintsASerial() throws Exception {
    Path unitTemplate = Path.of("../config/labels/unit-gs1.zpl");
    assertThat(problems(withPrinter("lot", unitTemplate)))
        .contains(
            "lines[0].labels: is lot, but printer P1's template ../config/labels/unit-gs1.zpl uses {serial}");
    GatewayConfig config = load(withPrinter("unit", unitTemplate), Map.of());
    assertThat(config.printers().get(0).template().placeholders())
        .contains("gs1DataMatrix", "serial");
  }

  private static String withPrinter(String labels, Path template) {
    return VALID
        .replace("    lotPattern:", "    labels: " + labels + "\n    printer: P1\n    lotPattern:")
        .replace(
            "erp:",
            "printers:\n  - { id: P1, port: /dev/ttyUSB0, template: \"" + template + "\" }\nerp:");
  }

  /** Two sessions with one client id on one broker take each other's place, over and over. */
  @Test
  void twoLinesWithTheSameClientIdOnOneBrokerAreRefusedNamingBoth() throws Exception {
    String twoLines =
        VALID.replace(
            "erp:",
            """
              - id: L2
                lotPattern: "{line}{yy}{julian}{seq:3}"
                source:
                  mqtt: { broker: "tcp://127.0.0.1:1883", topic: plant/L2/batch-complete, clientId: CLIENT }
            erp:""");
    String sameId =
        twoLines.replace(
            "topic: plant/L1/batch-complete }",
            "topic: plant/L1/batch-complete, clientId: CLIENT }");
    assertThat(problems(sameId))
        .contains(
            "lines[1].source.mqtt.clientId: \"CLIENT\" is also lines[0].source.mqtt.clientId on tcp://127.0.0.1:1883");
    // Host names are not case-sensitive.
    assertThat(
            problems(
                sameId
                    .replace(
                        "tcp://127.0.0.1:1883\", topic: plant/L1",
                        "tcp://mqtt.plant:1883\", topic: plant/L1")
                    .replace(
                        "tcp://127.0.0.1:1883\", topic: plant/L2",
                        "tcp://MQTT.Plant:1883\", topic: plant/L2")))
        .contains(
            "lines[1].source.mqtt.clientId: \"CLIENT\" is also lines[0].source.mqtt.clientId on tcp://mqtt.plant:1883");
    assertThat(
            problems(
                twoLines
                    .replace(
                        "topic: plant/L1/batch-complete }",
                        "topic: plant/L1/batch-complete, clientId: linegate-edge-01-L2 }")
                    .replace(", clientId: CLIENT", "")))
        .as("a default client id counts too")
        .contains(
            "lines[1].source.mqtt.clientId: \"linegate-edge-01-L2\" is also lines[0].source.mqtt.clientId");
    load(
        sameId.replace(
            "tcp://127.0.0.1:1883\", topic: plant/L2", "tcp://127.0.0.1:1884\", topic: plant/L2"),
        Map.of());
    load(twoLines, Map.of());
  }

  /** One port, one device: two of them would read each other's bytes. */
  @Test
  void twoDevicesOnOnePortAreRefusedNamingBoth() throws Exception {
    Path template = Path.of("../config/labels/unit-gs1.zpl");
    String devices =
        withPrinter("unit", template)
            .replace(
                "erp:",
                """
                  - { id: P2, port: "tcp://printer.plant:9100", template: "%s" }
                scanners:
                  - { id: S1, port: /dev/ttyUSB1 }
                  - { id: S2, port: /dev/ttyUSB2 }
                erp:"""
                    .formatted(template));
    load(devices, Map.of());
    assertThat(problems(devices.replace("port: /dev/ttyUSB2", "port: /dev/./ttyUSB1")))
        .contains("scanners[1].port: \"/dev/./ttyUSB1\" is also scanners[0].port (/dev/ttyUSB1)");
    assertThat(problems(devices.replace("port: /dev/ttyUSB1", "port: /dev/ttyUSB0")))
        .contains("scanners[0].port: \"/dev/ttyUSB0\" is also printers[0].port (/dev/ttyUSB0)");
    assertThat(
            problems(devices.replace("port: /dev/ttyUSB0", "port: \"tcp://Printer.Plant:9100\"")))
        .contains(
            "printers[1].port: \"tcp://printer.plant:9100\" is also printers[0].port (tcp://Printer.Plant:9100)");
    load(devices.replace("port: /dev/ttyUSB0", "port: \"tcp://printer.plant:9101\""), Map.of());
  }

  @Test
  void erpRoutesMustExist() {
    assertThat(
            problems(
                VALID.replace(
                    "url: http://127.0.0.1:8081/api/events", "routes: nowhere/routes.yaml")))
        .contains("erp.routes: no such file");
  }

  private GatewayConfig load(String yaml, Map<String, String> environment) throws Exception {
    Path file = dir.resolve("config.yaml");
    Files.writeString(file, yaml);
    return new ConfigLoader(environment).load(file);
  }

  @Test
  void credentialsInsideABrokerUrlAreRefusedWithoutEchoingThem() {
    assertThat(
            problems(
                VALID.replace("tcp://127.0.0.1:1883", "tcp://linegate:Hunter2-pw@127.0.0.1:1883")))
        .contains("lines[0].source.mqtt.broker: must not carry credentials")
        .doesNotContain("Hunter2-pw");
  }

  @Test
  void mqttTlsFilesAreCheckedAtStartNamingTheirKeys() throws Exception {
    String ssl = VALID.replace("tcp://127.0.0.1:1883", "ssl://localhost:8883");
    Path notPem = Files.writeString(dir.resolve("not.pem"), "no certificate here\n");
    assertThat(problems(withTls(ssl, "{ ca: " + dir.resolve("missing.pem") + " }")))
        .contains("lines[0].source.mqtt.tls.ca: cannot read");
    assertThat(problems(withTls(ssl, "{ ca: " + notPem + " }")))
        .contains("lines[0].source.mqtt.tls.ca: ")
        .contains("not.pem");
    assertThat(problems(withTls(ssl, "{ cert: " + notPem + " }")))
        .contains("lines[0].source.mqtt.tls.key: is needed with cert");
    assertThat(problems(withTls(ssl, "{ cert: " + notPem + ", key: " + notPem + " }")))
        .contains("lines[0].source.mqtt.tls.cert: ")
        .contains("lines[0].source.mqtt.tls.key: ")
        .contains("holds no private key");
    assertThat(problems(withTls(VALID, "{ ca: " + notPem + " }")))
        .contains("lines[0].source.mqtt.tls: needs an ssl:// broker");
    // BouncyCastle's decoder throws unchecked on damaged base64: still the named error.
    Path damaged =
        Files.writeString(
            dir.resolve("damaged.pem"),
            "-----BEGIN PRIVATE KEY-----\nMIIE@@@@not-base64\n-----END PRIVATE KEY-----\n");
    assertThat(problems(withTls(ssl, "{ cert: " + notPem + ", key: " + damaged + " }")))
        .contains("lines[0].source.mqtt.tls.key: ")
        .contains("damaged.pem");
  }

  @Test
  void anOpcUaPasswordInClearIsRefusedUnlessAllowed() throws Exception {
    String opcua =
        VALID.replace(
            "mqtt: { broker: \"tcp://127.0.0.1:1883\", topic: plant/L1/batch-complete }",
            """
            opcua:
                    endpoint: opc.tcp://plc-l1:4840
                    security: { policy: None, mode: None }
                    username: line-gateway
                    password: "Opc-Secret-9"
                    nodes: { ready: "ns=2;s=R", batchId: "ns=2;s=B", product: "ns=2;s=P", quantity: "ns=2;s=Q", ack: "ns=2;s=A" }""");
    assertThat(problems(opcua))
        .contains(
            "lines[0].source.opcua.password: would cross the network in clear (security policy None)")
        .doesNotContain("Opc-Secret-9");
    // A security policy encrypts the user token, in mode Sign too.
    for (String security :
        List.of(
            "policy: Basic256Sha256, mode: Sign",
            "policy: Basic256Sha256, mode: SignAndEncrypt",
            "policy: None, mode: None, allowPasswordWithoutEncryption: true")) {
      assertThat(
              load(opcua.replace("policy: None, mode: None", security), Map.of())
                  .lines()
                  .get(0)
                  .opcua())
          .as(security)
          .isPresent();
    }
  }

  @Test
  void erpCredentialsBelongInHeadersAndNeverInTheUrlOrAnError() {
    for (String url :
        List.of(
            "http://erp-user:Pw-secret@127.0.0.1:8081/api/events",
            "http://erp-user:Pw@secret@127.0.0.1:8081/api/events",
            "http://erp-user:Pw secret@127.0.0.1:8081/api/events")) {
      assertThat(problems(VALID.replace("http://127.0.0.1:8081/api/events", url)))
          .contains("erp.url: must not carry credentials")
          .doesNotContain("secret");
    }
    String withHeaders =
        VALID.replace(
            "  url: http://127.0.0.1:8081/api/events",
            "  url: http://127.0.0.1:8081/api/events\n  headers: { %s }");
    assertThat(problems(withHeaders.formatted("\"Bad Name\": x")))
        .contains("erp.headers: \"Bad Name\" is not an HTTP header name");
    for (String reserved : List.of("Idempotency-Key", "content-type", "CamelHttpUri")) {
      assertThat(problems(withHeaders.formatted(reserved + ": x")))
          .contains("erp.headers: \"" + reserved + "\" is set by the gateway or by Camel");
    }
    assertThat(
            problems(
                withHeaders
                    .formatted("Authorization: x")
                    .replace(
                        "  url: http://127.0.0.1:8081/api/events\n", "  routes: " + "x.yaml\n")))
        .contains("erp.headers: are for the default route");
  }

  @Test
  void kafkaAloneIsAnOutputAndTheGatewaysOwnProducerSettingsCannotBeChanged() throws Exception {
    String kafkaOnly =
        VALID.replace(
            "  url: http://127.0.0.1:8081/api/events",
            "  kafka: { bootstrap: \"k1:9092,k2:9092\", properties: { %s } }");
    GatewayConfig loaded =
        load(kafkaOnly.formatted("sasl.jaas.config: \"${JAAS}\""), Map.of("JAAS", "s3cr3t"));
    KafkaConfig kafka = loaded.erp().kafka().orElseThrow();
    assertThat(loaded.erp().http()).isFalse();
    assertThat(kafka.bootstrap()).isEqualTo("k1:9092,k2:9092");
    assertThat(kafka.topic()).isEqualTo("linegate.events");
    assertThat(kafka.maxRequestBytes()).isEqualTo(1_048_576);
    assertThat(kafka.properties().get("sasl.jaas.config").value()).isEqualTo("s3cr3t");
    assertThat(kafka.properties().toString()).doesNotContain("s3cr3t");
    for (String fixed : List.of("acks: 1", "enable.idempotence: false", "bootstrap.servers: x:1")) {
      assertThat(problems(kafkaOnly.formatted(fixed)))
          .contains("erp.kafka.properties." + fixed.split(":")[0] + ": is set by the gateway");
    }
    assertThat(problems(kafkaOnly.formatted("max.request.size: lots")))
        .contains("erp.kafka.properties.max.request.size: must be a number of bytes");
    assertThat(problems(kafkaOnly.formatted("").replace("k1:9092,k2:9092", "k1")))
        .contains("erp.kafka.bootstrap: must be host:port");
    assertThat(problems(VALID.replace("  url: http://127.0.0.1:8081/api/events", "  retry: {}")))
        .contains(
            "erp.url: is required (or erp.routes for Camel routes, erp.kafka for Kafka, erp.epcis"
                + " for an EPCIS repository)");
  }

  @Test
  void packagingStationsAndEpcisAreCheckedNamingTheKey() throws Exception {
    String packed =
        VALID
            .replace(
                "serials: { mode: random, length: 12, alphabet: numeric }",
                """
                serials: { mode: random, length: 12, alphabet: numeric }
                    packaging:
                      case: { units: 12, printer: P3, template: ../config/labels/case-sscc.zpl }
                      pallet: { cases: 40, printer: P3, template: ../config/labels/pallet-sscc.zpl }""")
            .replace(
                "erp:",
                """
                printers:
                  - { id: P3, port: "tcp://127.0.0.1:9100", template: ../config/labels/lot-gs1-128.zpl }
                scanners:
                  - { id: S2, port: /dev/ttyUSB1 }
                stations:
                  - { id: PACK1, line: L1, scanner: S2, role: packing }
                gs1: { companyPrefix: "9506000", ssccExtension: 1, location: "urn:epc:id:sgln:9506000.00001.0" }
                erp:""");
    GatewayConfig config = load(packed, Map.of());
    assertThat(config.stations()).containsExactly(new StationConfig("PACK1", "L1", "S2"));
    assertThat(config.gs1().orElseThrow().ssccExtension()).isEqualTo(1);
    PackagingConfig packaging = config.products().get(0).packaging().orElseThrow();
    assertThat(packaging.inCase().count()).isEqualTo(12);
    assertThat(packaging.onPallet().orElseThrow().count()).isEqualTo(40);

    assertThat(
            problems(
                packed.replace("gs1: { companyPrefix: \"9506000\", ssccExtension: 1,", "x: {")))
        .contains("products[0].packaging: needs gs1.companyPrefix");
    assertThat(problems(packed.replace("\"9506000\"", "\"95060\"")))
        .contains("gs1.companyPrefix: must be a GS1 company prefix of 6 to 12 digits");
    assertThat(problems(packed.replace("ssccExtension: 1", "ssccExtension: 10")))
        .contains("gs1.ssccExtension");
    assertThat(problems(packed.replace("scanner: S2, role", "scanner: S9, role")))
        .contains("stations[0].scanner: names scanner \"S9\"");
    assertThat(problems(packed.replace("line: L1, scanner", "line: L7, scanner")))
        .contains("stations[0].line: names line \"L7\"");
    assertThat(problems(packed.replace("role: packing", "role: dancing")))
        .contains("stations[0].role");
    assertThat(problems(packed.replace("units: 12, printer: P3", "units: 12, printer: P9")))
        .contains("products[0].packaging.case.printer: names printer \"P9\"");
    assertThat(problems(packed.replace("pallet-sscc.zpl", "unit-gs1.zpl")))
        .contains("products[0].packaging.pallet.template")
        .contains("unknown placeholder {serial}");
    assertThat(problems(packed.replace("lotPattern:", "scanner: S2\n    lotPattern:")))
        .contains("stations[0].scanner: is line L1's verifying scanner");
    String epcis =
        packed.replace(
            "  url: http://127.0.0.1:8081/api/events",
            "  epcis: { url: \"https://epcis.example.com/capture\", maxEventsPerDocument: 100 }");
    EpcisConfig capture = load(epcis, Map.of()).erp().epcis().orElseThrow();
    assertThat(capture.maxEventsPerDocument()).isEqualTo(100);
    assertThat(capture.location()).isEqualTo("urn:epc:id:sgln:9506000.00001.0");
    assertThat(problems(epcis.replace(", location: \"urn:epc:id:sgln:9506000.00001.0\"", "")))
        .contains("erp.epcis: needs gs1.location");
    assertThat(problems(epcis.replace("urn:epc:id:sgln:9506000.00001.0", "plant 1")))
        .contains("gs1.location: must be an SGLN URI");
  }

  @Test
  void httpsNeedsItsCertificateAndKeyNamingWhatIsMissing() throws Exception {
    Path notPem = Files.writeString(dir.resolve("not.pem"), "no certificate here\n");
    assertThat(problems(VALID.replace("port: 8080 }", "port: 8080, tls: {} }")))
        .contains("gateway.http.tls.cert: and key are required");
    assertThat(
            problems(VALID.replace("port: 8080 }", "port: 8080, tls: { cert: " + notPem + " } }")))
        .contains("gateway.http.tls.key: is needed with cert");
    assertThat(
            problems(
                VALID.replace(
                    "port: 8080 }",
                    "port: 8080, tls: { cert: " + notPem + ", key: " + notPem + ", ca: x } }")))
        .contains("gateway.http.tls.ca: is not a known key")
        .contains("gateway.http.tls.key: ")
        .contains("holds no private key");
  }

  private static String withTls(String yaml, String tls) {
    return yaml.replace(
        "topic: plant/L1/batch-complete }", "topic: plant/L1/batch-complete, tls: " + tls + " }");
  }

  @Test
  void aPoolNamesAKnownProviderWhoseUrlCarriesNoCredentials() throws Exception {
    String pooled =
        VALID.replace(
            "serials: { mode: random, length: 12, alphabet: numeric }",
            "serials: { length: 12, alphabet: numeric, source: pool,"
                + " pool: { provider: l4, lowWater: 10, request: 100 } }");
    assertThat(problems(pooled))
        .contains(
            "products[0].serials.pool.provider: names no serialProviders[].id (there are none)");
    String withProvider =
        pooled.replace(
            "products:",
            "serialProviders:\n  - id: l4\n    url: http://127.0.0.1:8083/api/serial-numbers\nproducts:");
    GatewayConfig loaded = load(withProvider, Map.of());
    assertThat(loaded.products().get(0).serials().pool().orElseThrow().request()).isEqualTo(100);
    assertThat(loaded.serialProviders().get(0).url().getPort()).isEqualTo(8083);
    assertThat(problems(withProvider.replace("http://127.0.0.1", "http://user:s3cret@127.0.0.1")))
        .contains("serialProviders[0].url: must not carry credentials")
        .doesNotContain("s3cret");
    assertThat(problems(withProvider.replace("request: 100", "request: 100, maxRequest: 50")))
        .contains("maxRequest: must not be less than request (100)");
    assertThat(
            problems(
                VALID.replace(
                    "alphabet: numeric }", "alphabet: numeric, pool: { provider: l4 } }")))
        .contains("serials.pool: is for source: pool only");
  }

  private String problems(String yaml) {
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> load(yaml, Map.of()));
    assertThat(e).as("configuration should be refused").isNotNull();
    return e.getMessage();
  }
}
