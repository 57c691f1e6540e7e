package dev.linegate.gateway.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.linegate.connectors.Backoff;
import dev.linegate.connectors.Secret;
import dev.linegate.connectors.mqtt.MqttSourceConfig;
import dev.linegate.connectors.opcua.OpcUaSourceConfig;
import dev.linegate.connectors.serial.SerialSettings;
import dev.linegate.connectors.serial.SerialSettings.FlowControl;
import dev.linegate.connectors.serial.SerialSettings.Parity;
import dev.linegate.connectors.serial.SerialSettings.StopBits;
import dev.linegate.gateway.config.GatewayConfig.AuthConfig;
import dev.linegate.gateway.config.GatewayConfig.HttpConfig;
import dev.linegate.gateway.config.GatewayConfig.LoggingConfig;
import dev.linegate.gateway.config.GatewayConfig.SerialProviderConfig;
import dev.linegate.gateway.config.LineConfig.Labels;
import dev.linegate.gateway.config.ProductConfig.Alphabet;
import dev.linegate.gateway.config.ProductConfig.PoolSpec;
import dev.linegate.gateway.config.ProductConfig.Reprint;
import dev.linegate.gateway.config.ProductConfig.SerialMode;
import dev.linegate.gateway.config.ProductConfig.SerialSpec;
import dev.linegate.gateway.gs1.Cset82;
import dev.linegate.gateway.gs1.Gtin;
import dev.linegate.gateway.gs1.Yymmdd;
import dev.linegate.gateway.numbering.LotPattern;
import dev.linegate.gateway.numbering.SerialPermutation;
import dev.linegate.gateway.printing.ContainerLabel;
import dev.linegate.gateway.printing.LabelFields;
import dev.linegate.gateway.printing.LabelTemplate;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Reads the YAML file into records and checks all of it in one pass: every problem is reported with
 * the file and the key path, and start-up stops if there is any.
 *
 * <p>Long because every key of SPEC section 2 is checked here, in the order of the file, with its
 * error message: one place to look for what a key accepts.
 */
public final class ConfigLoader {

  static final int MAX_LOT_LENGTH = 20;

  /**
   * Fifty years of 365 days: the expiry of a batch made today still goes on a label as a GS1 YYMMDD
   * date that readers place in the right century.
   */
  static final int MAX_SHELF_LIFE_DAYS = Yymmdd.YEARS_AHEAD * 365;

  private final EnvironmentSubstitution substitution;

  public ConfigLoader(Map<String, String> environment) {
    this.substitution = new EnvironmentSubstitution(environment);
  }

  public GatewayConfig load(Path file) throws ConfigException {
    JsonNode tree;
    String text = "";
    try {
      text = Files.readString(file);
      tree = new YAMLMapper().readTree(text);
    } catch (NoSuchFileException e) {
      throw new ConfigException(List.of(file + ": no such file"));
    } catch (JsonProcessingException e) {
      String hint =
          text.contains("${")
              ? " (a ${...} value inside { } must be quoted: port: \"${PORT:-8080}\")"
              : "";
      throw new ConfigException(
          List.of(file + ": not valid YAML: " + e.getOriginalMessage() + location(e) + hint));
    } catch (IOException e) {
      throw new ConfigException(List.of(file + ": cannot be read: " + e.getMessage()));
    }
    if (tree == null || !tree.isObject()) {
      throw new ConfigException(
          List.of(file + ": must be a YAML map with gateway, products, lines and erp"));
    }
    List<String> problems = new ArrayList<>();
    substitute(tree, "", problems);
    GatewayConfig config = read(new ConfigNode(tree, "", problems));
    if (!problems.isEmpty()) {
      throw new ConfigException(problems.stream().map(p -> file + ": " + p).toList());
    }
    return config;
  }

  private static String location(JsonProcessingException e) {
    return e.getLocation() == null
        ? ""
        : " (line "
            + e.getLocation().getLineNr()
            + ", column "
            + e.getLocation().getColumnNr()
            + ")";
  }

  private void substitute(JsonNode node, String path, List<String> problems) {
    if (node.isObject()) {
      ObjectNode object = (ObjectNode) node;
      List<String> names = new ArrayList<>();
      object.fieldNames().forEachRemaining(names::add);
      for (String name : names) {
        String key = path.isEmpty() ? name : path + "." + name;
        JsonNode child = object.get(name);
        if (child.isTextual()) {
          EnvironmentSubstitution.Result result = substitution.apply(child.asText());
          result
              .unsetVariable()
              .ifPresent(
                  v ->
                      problems.add(
                          key
                              + ": environment variable "
                              + v
                              + " is not set (write ${"
                              + v
                              + ":-default} for a default)"));
          object.set(name, new TextNode(result.text()));
        } else {
          substitute(child, key, problems);
        }
      }
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        substitute(node.get(i), path + "[" + i + "]", problems);
      }
    }
  }

  private GatewayConfig read(ConfigNode root) {
    root.allowOnly(
        Set.of(
            "gateway",
            "auth",
            "serialProviders",
            "products",
            "lines",
            "printers",
            "scanners",
            "gs1",
            "stations",
            "erp",
            "logging"));
    ConfigNode gateway = root.requiredChild("gateway");
    gateway.allowOnly(Set.of("id", "dataDir", "http", "minFreeDiskMb"));
    String id = gateway.string("id");
    if (id != null && Cset82.firstInvalid(id) >= 0) {
      gateway.problem(
          gateway.key("id"),
          "may contain only GS1 CSET 82 characters (it can appear in lot numbers)");
    }
    Path dataDir = Path.of(gateway.string("dataDir", "./data"));
    HttpConfig http =
        gateway
            .child("http")
            .map(ConfigLoader::http)
            .orElse(
                new HttpConfig("0.0.0.0", 8080, Optional.empty(), HttpConfig.DEFAULT_IDLE_TIMEOUT));
    AuthConfig auth =
        root.child("auth")
            .map(ConfigLoader::auth)
            .orElse(new AuthConfig(DEFAULT_SESSION_MINUTES, false));
    int minFreeDiskMb = gateway.integer("minFreeDiskMb", 256, 0, 1_000_000);
    LoggingConfig logging =
        root.child("logging").map(ConfigLoader::logging).orElse(new LoggingConfig(false));

    List<SerialProviderConfig> providers = root.list("serialProviders", ConfigLoader::provider);
    unique(root, "serialProviders", providers, SerialProviderConfig::id, "id");
    Set<String> providerIds = ids(providers, SerialProviderConfig::id);
    List<PrinterConfig> printers = root.list("printers", ConfigLoader::printer);
    unique(root, "printers", printers, PrinterConfig::id, "id");
    List<ScannerConfig> scanners = root.list("scanners", ConfigLoader::scanner);
    unique(root, "scanners", scanners, ScannerConfig::id, "id");
    Map<String, PrinterConfig> printersById =
        printers.stream()
            .filter(p -> p.id() != null)
            .collect(Collectors.toMap(PrinterConfig::id, p -> p, (a, b) -> a));
    Optional<Gs1Config> gs1 = root.child("gs1").map(ConfigLoader::gs1);
    List<ProductConfig> products =
        root.list("products", n -> product(n, providerIds, printersById, gs1.isPresent()));
    if (products.isEmpty() && !root.has("products")) {
      root.problem("products", "is required: at least one product");
    }
    unique(root, "products", products, ProductConfig::code, "code");
    Set<String> scannerIds = ids(scanners, ScannerConfig::id);
    List<LineConfig> lines =
        root.list(
            "lines",
            n -> line(n, id == null ? "" : id, dataDir, products, printersById, scannerIds));
    if (lines.isEmpty() && !root.has("lines")) {
      root.problem("lines", "is required: at least one line");
    }
    unique(root, "lines", lines, LineConfig::id, "id");
    // A station stands at one line: its scans are that line's.
    unique(root, "lines", lines, line -> line.scanner().orElse(null), "scanner");
    List<StationConfig> stations =
        root.list("stations", n -> station(n, ids(lines, LineConfig::id), scannerIds, lines));
    unique(root, "stations", stations, StationConfig::id, "id");
    unique(root, "stations", stations, StationConfig::scanner, "scanner");
    ConfigConflicts.clientIds(root, lines);
    ConfigConflicts.ports(root, printers, scanners);
    ErpConfig erp = erp(root.requiredChild("erp"), gs1.flatMap(Gs1Config::location));
    return new GatewayConfig(
        id,
        dataDir,
        http,
        auth,
        minFreeDiskMb,
        logging,
        products,
        lines,
        printers,
        scanners,
        providers,
        gs1,
        stations,
        erp);
  }

  private static HttpConfig http(ConfigNode node) {
    node.allowOnly(Set.of("host", "port", "tls", "idleTimeoutSeconds"));
    return new HttpConfig(
        node.string("host", "0.0.0.0"),
        node.integer("port", 8080, 1, 65535),
        node.child("tls").flatMap(TlsReader::server),
        Duration.ofSeconds(
            node.integer(
                "idleTimeoutSeconds", (int) HttpConfig.DEFAULT_IDLE_TIMEOUT.toSeconds(), 2, 3600)));
  }

  /** A shift. */
  private static final int DEFAULT_SESSION_MINUTES = 480;

  private static AuthConfig auth(ConfigNode node) {
    node.allowOnly(Set.of("sessionMinutes", "protectMetrics"));
    return new AuthConfig(
        node.integer("sessionMinutes", DEFAULT_SESSION_MINUTES, 1, 7 * 24 * 60),
        node.choice("protectMetrics", Map.of("true", true, "false", false), false));
  }

  private static SerialProviderConfig provider(ConfigNode node) {
    node.allowOnly(Set.of("id", "url", "headers"));
    String id = node.string("id");
    Optional<URI> url =
        node.optionalString("url")
            .flatMap(
                u ->
                    httpUrl(
                        node,
                        u,
                        "give them in headers (values from the environment, e.g. Authorization:"
                            + " \"Bearer ${L4_TOKEN}\")"));
    if (url.isEmpty() && !node.has("url")) {
      node.problem(node.key("url"), "is required: the provider's serial-numbers URL");
    }
    return new SerialProviderConfig(id, url.orElse(null), headers(node));
  }

  private static ProductConfig product(
      ConfigNode node, Set<String> providers, Map<String, PrinterConfig> printers, boolean gs1) {
    node.allowOnly(Set.of("code", "gtin", "shelfLifeDays", "serials", "packaging"));
    String code = node.string("code");
    if (code != null && (code.indexOf('^') >= 0 || code.indexOf('~') >= 0)) {
      node.problem(
          node.key("code"),
          "may not contain '^' or '~': it is printed on labels, where they start ZPL commands");
    }
    String gtin = node.string("gtin");
    if (gtin != null) {
      if (!gtin.matches("\\d{14}")) {
        node.problem(
            node.key("gtin"),
            "must be 14 digits (GTIN-14; pad shorter GTINs with leading zeros), not \""
                + gtin
                + "\"");
      } else if (!Gtin.hasValidCheckDigit(gtin)) {
        node.problem(
            node.key("gtin"),
            "check digit is wrong: \""
                + gtin
                + "\" should end in "
                + Gtin.checkDigit(gtin.substring(0, 13)));
      }
    }
    Integer shelfLife = node.requiredInteger("shelfLifeDays", 0, MAX_SHELF_LIFE_DAYS);
    ConfigNode serials = node.requiredChild("serials");
    serials.allowOnly(Set.of("mode", "length", "alphabet", "source", "pool", "reprint"));
    boolean pooled = serials.choice("source", Map.of("local", false, "pool", true), false);
    Optional<PoolSpec> pool = Optional.empty();
    if (pooled) {
      pool = Optional.of(pool(serials.requiredChild("pool"), providers));
    } else if (serials.has("pool")) {
      serials.problem(serials.key("pool"), "is for source: pool only");
    }
    SerialMode mode =
        serials.choice(
            "mode",
            Map.of("random", SerialMode.RANDOM, "sequential", SerialMode.SEQUENTIAL),
            SerialMode.RANDOM);
    int length = serials.integer("length", 12, 1, 20);
    Alphabet alphabet =
        serials.choice(
            "alphabet",
            Map.of("numeric", Alphabet.NUMERIC, "alphanumeric", Alphabet.ALPHANUMERIC),
            Alphabet.NUMERIC);
    int symbols = alphabet.characters().length();
    // A pool's serials are the provider's: how they are made is its business.
    if (!pooled
        && mode == SerialMode.RANDOM
        && SerialPermutation.domain(symbols, length) < SerialPermutation.MIN_DOMAIN) {
      int shortest = 1;
      while (SerialPermutation.domain(symbols, shortest) < SerialPermutation.MIN_DOMAIN) {
        shortest++;
      }
      serials.problem(
          serials.key("length"),
          String.format(
              Locale.ROOT,
              "random serials of %d characters of %d symbols have fewer than %,d values, too few to be unguessable: use at least %d, or mode: sequential",
              length,
              symbols,
              SerialPermutation.MIN_DOMAIN,
              shortest));
    }
    return new ProductConfig(
        code,
        gtin,
        shelfLife == null ? 0 : shelfLife,
        new SerialSpec(
            mode,
            length,
            alphabet,
            pool,
            serials.choice(
                "reprint",
                Map.of("sameSerial", Reprint.SAME_SERIAL, "newSerial", Reprint.NEW_SERIAL),
                Reprint.SAME_SERIAL)),
        node.child("packaging").map(p -> packaging(p, printers, gs1)));
  }

  private static PackagingConfig packaging(
      ConfigNode node, Map<String, PrinterConfig> printers, boolean gs1) {
    node.allowOnly(Set.of("case", "pallet"));
    if (!gs1) {
      node.problem(
          node.path(), "needs gs1.companyPrefix: case and pallet labels carry the gateway's SSCCs");
    }
    PackagingConfig.Level inCase =
        level(node.requiredChild("case"), "units", printers, ContainerLabel.NAMES);
    return new PackagingConfig(
        inCase,
        node.child("pallet").map(pallet -> level(pallet, "cases", printers, ContainerLabel.NAMES)));
  }

  private static PackagingConfig.Level level(
      ConfigNode node, String count, Map<String, PrinterConfig> printers, List<String> fields) {
    node.allowOnly(Set.of(count, "printer", "template"));
    Integer children = node.requiredInteger(count, 1, 100_000);
    String printer = node.string("printer");
    if (printer != null && !printers.containsKey(printer)) {
      node.problem(
          node.key("printer"),
          "names printer \""
              + printer
              + "\", which is not in printers[] (known: "
              + String.join(", ", new TreeSet<>(printers.keySet()))
              + ")");
    }
    return new PackagingConfig.Level(
        children == null ? 1 : children, printer, template(node, fields).orElse(null));
  }

  /** {@code template} read and checked against the placeholders {@code fields} offers. */
  private static Optional<LabelTemplate> template(ConfigNode node, List<String> fields) {
    String template = node.string("template");
    if (template == null) {
      return Optional.empty();
    }
    Path path = Path.of(template);
    if (!Files.isRegularFile(path)) {
      node.problem(node.key("template"), "no such file: " + path.toAbsolutePath());
      return Optional.empty();
    }
    try {
      return Optional.of(LabelTemplate.read(path, fields));
    } catch (IOException e) {
      node.problem(node.key("template"), path + " " + e.getMessage());
      return Optional.empty();
    }
  }

  private static Gs1Config gs1(ConfigNode node) {
    node.allowOnly(Set.of("companyPrefix", "ssccExtension", "location"));
    String prefix = node.string("companyPrefix");
    if (prefix != null && !prefix.matches("\\d{6,12}")) {
      node.problem(
          node.key("companyPrefix"),
          "must be a GS1 company prefix of 6 to 12 digits, not \"" + prefix + "\"");
    }
    Optional<String> location = node.optionalString("location");
    location
        .filter(l -> !l.matches("urn:epc:id:sgln:\\d+\\.\\d*\\.[!-~]+|https?://\\S+"))
        .ifPresent(
            l ->
                node.problem(
                    node.key("location"),
                    "must be an SGLN URI (urn:epc:id:sgln:9506000.00001.0) or a GS1 Digital Link"
                        + " address, not \""
                        + l
                        + "\""));
    return new Gs1Config(
        prefix == null ? "" : prefix, node.integer("ssccExtension", 0, 0, 9), location);
  }

  private static StationConfig station(
      ConfigNode node, Set<String> lineIds, Set<String> scanners, List<LineConfig> lines) {
    node.allowOnly(Set.of("id", "line", "scanner", "role"));
    node.choice("role", Map.of("packing", true), true);
    String line = node.string("line");
    if (line != null && !lineIds.contains(line)) {
      node.problem(
          node.key("line"),
          "names line \"" + line + "\", which is not in lines[] (known: " + lineIds + ")");
    }
    String scanner = node.string("scanner");
    if (scanner != null && !scanners.contains(scanner)) {
      node.problem(
          node.key("scanner"),
          "names scanner \""
              + scanner
              + "\", which is not in scanners[] (known: "
              + scanners
              + ")");
    }
    lines.stream()
        .filter(l -> scanner != null && l.scanner().equals(Optional.of(scanner)))
        .findFirst()
        .ifPresent(
            l ->
                node.problem(
                    node.key("scanner"),
                    "is line "
                        + l.id()
                        + "'s verifying scanner; a packing station needs a scanner of its own"));
    return new StationConfig(node.string("id"), line, scanner);
  }

  private static PoolSpec pool(ConfigNode node, Set<String> providers) {
    node.allowOnly(Set.of("provider", "lowWater", "request", "alarmHours", "maxRequest"));
    String provider = node.string("provider");
    if (provider != null && !providers.contains(provider)) {
      node.problem(
          node.key("provider"),
          "names no serialProviders[].id"
              + (providers.isEmpty() ? " (there are none)" : ": " + providers));
    }
    int request = node.integer("request", 20_000, 1, 1_000_000);
    int lowWater = node.integer("lowWater", 5_000, 0, 10_000_000);
    int maxRequest = node.integer("maxRequest", 1_000_000, 1, 10_000_000);
    if (maxRequest < request) {
      node.problem(node.key("maxRequest"), "must not be less than request (" + request + ")");
    }
    return new PoolSpec(
        provider, lowWater, request, node.integer("alarmHours", 24, 0, 24 * 365), maxRequest);
  }

  private static PrinterConfig printer(ConfigNode node) {
    node.allowOnly(
        Set.of("id", "port", "serial", "template", "statusIntervalMs", "faultAlarmSeconds"));
    return new PrinterConfig(
        node.string("id"),
        node.string("port"),
        node.child("serial").map(ConfigLoader::serial).orElse(SerialSettings.DEFAULT),
        template(node, LabelFields.NAMES).orElse(null),
        Duration.ofMillis(node.integer("statusIntervalMs", 2_000, 100, 600_000)),
        Duration.ofSeconds(node.integer("faultAlarmSeconds", 300, 1, 86_400)));
  }

  private static ScannerConfig scanner(ConfigNode node) {
    node.allowOnly(Set.of("id", "port", "serial", "verifyWithinSeconds"));
    return new ScannerConfig(
        node.string("id"),
        node.string("port"),
        node.child("serial").map(ConfigLoader::serial).orElse(SerialSettings.DEFAULT),
        Duration.ofSeconds(node.integer("verifyWithinSeconds", 300, 1, 86_400 * 30)));
  }

  private static SerialSettings serial(ConfigNode node) {
    node.allowOnly(Set.of("baud", "dataBits", "parity", "stopBits", "flowControl"));
    SerialSettings d = SerialSettings.DEFAULT;
    return new SerialSettings(
        node.integer("baud", d.baud(), 300, 4_000_000),
        node.integer("dataBits", d.dataBits(), 5, 8),
        node.choice(
            "parity",
            Map.of(
                "none",
                Parity.NONE,
                "even",
                Parity.EVEN,
                "odd",
                Parity.ODD,
                "mark",
                Parity.MARK,
                "space",
                Parity.SPACE),
            d.parity()),
        node.choice(
            "stopBits",
            Map.of("1", StopBits.ONE, "1.5", StopBits.ONE_POINT_FIVE, "2", StopBits.TWO),
            d.stopBits()),
        node.choice(
            "flowControl",
            Map.of(
                "none",
                FlowControl.NONE,
                "xonxoff",
                FlowControl.XONXOFF,
                "rtscts",
                FlowControl.RTSCTS,
                "dtrdsr",
                FlowControl.DTRDSR),
            d.flowControl()));
  }

  private static LineConfig line(
      ConfigNode node,
      String gatewayId,
      Path dataDir,
      List<ProductConfig> products,
      Map<String, PrinterConfig> printers,
      Set<String> scanners) {
    node.allowOnly(
        Set.of("id", "lotPattern", "products", "labels", "printer", "scanner", "source"));
    String id = node.string("id");
    if (id != null && Cset82.firstInvalid(id) >= 0) {
      node.problem(
          node.key("id"), "may contain only GS1 CSET 82 characters (it can appear in lot numbers)");
    }
    Set<String> known = ids(products, ProductConfig::code);
    List<String> made = node.strings("products");
    for (int i = 0; i < made.size(); i++) {
      if (!known.contains(made.get(i))) {
        node.problem(
            node.key("products") + "[" + i + "]",
            "names product \""
                + made.get(i)
                + "\", which is not in products[] (known: "
                + String.join(", ", new TreeSet<>(known))
                + ")");
      }
    }
    LotPattern pattern =
        lotPattern(
            node,
            id,
            gatewayId,
            made.isEmpty()
                ? products
                : products.stream().filter(p -> made.contains(p.code())).toList());
    Labels labels =
        node.choice(
            "labels",
            Map.of("unit", Labels.UNIT, "lot", Labels.LOT, "none", Labels.NONE),
            Labels.NONE);
    Optional<String> printer = node.optionalString("printer");
    printer
        .filter(p -> !printers.containsKey(p))
        .ifPresent(
            p ->
                node.problem(
                    node.key("printer"),
                    "names printer \""
                        + p
                        + "\", which is not in printers[] (known: "
                        + String.join(", ", new TreeSet<>(printers.keySet()))
                        + ")"));
    printer
        .map(printers::get)
        .filter(
            p ->
                labels == Labels.LOT
                    && p.template() != null
                    && p.template().placeholders().contains("serial"))
        .ifPresent(
            p ->
                node.problem(
                    node.key("labels"),
                    "is lot, but printer "
                        + p.id()
                        + "'s template "
                        + p.template().file()
                        + " uses {serial}, which a lot label does not have"));
    if (labels != Labels.NONE && printer.isEmpty()) {
      node.problem(
          node.key("printer"), "is required when labels is " + labels.name().toLowerCase());
    }
    Optional<String> scanner = node.optionalString("scanner");
    scanner
        .filter(s -> !scanners.contains(s))
        .ifPresent(
            s ->
                node.problem(
                    node.key("scanner"),
                    "names scanner \""
                        + s
                        + "\", which is not in scanners[] (known: "
                        + String.join(", ", scanners)
                        + ")"));
    ConfigNode source = node.requiredChild("source");
    source.allowOnly(Set.of("mqtt", "opcua"));
    String lineId = id == null ? "" : id;
    Optional<MqttSourceConfig> mqtt =
        source.child("mqtt").map(m -> SourceReader.mqtt(m, lineId, gatewayId));
    Optional<OpcUaSourceConfig> opcua =
        source.child("opcua").map(o -> SourceReader.opcua(o, lineId, dataDir));
    if (mqtt.isPresent() == opcua.isPresent() && !source.has("mqtt") && !source.has("opcua")) {
      source.problem(
          source.path(), "needs mqtt or opcua: where the line's batch-complete signals come from");
    } else if (source.has("mqtt") && source.has("opcua")) {
      source.problem(source.path(), "has both mqtt and opcua; a line has one source");
    }
    return new LineConfig(id, pattern, Set.copyOf(made), labels, printer, scanner, mqtt, opcua);
  }

  private static LotPattern lotPattern(
      ConfigNode node, String line, String gatewayId, List<ProductConfig> products) {
    String text = node.string("lotPattern");
    if (text == null || line == null) {
      return null;
    }
    try {
      LotPattern pattern = LotPattern.parse(text);
      // The longest lot this line can produce, rendered for real: the product code is the only part
      // of variable width.
      for (ProductConfig product : products) {
        if (product.code() == null) {
          continue;
        }
        LotPattern.Rendered rendered =
            pattern.render(
                new LotPattern.Context(
                    line, product.code(), gatewayId, LocalDate.of(2000, 12, 31)));
        String longest = rendered.lot(rendered.maxCounter());
        if (longest.length() > MAX_LOT_LENGTH) {
          node.problem(
              node.key("lotPattern"),
              "can produce \""
                  + longest
                  + "\" ("
                  + longest.length()
                  + " characters) for product "
                  + product.code()
                  + "; GS1 AI (10) allows at most "
                  + MAX_LOT_LENGTH);
          break;
        }
        int bad = Cset82.firstInvalid(longest);
        if (bad >= 0) {
          node.problem(
              node.key("lotPattern"),
              "can produce \""
                  + longest
                  + "\" with '"
                  + longest.charAt(bad)
                  + "', which is outside GS1 CSET 82");
          break;
        }
        // CSET 82 allows '_', but in a label's GS1 DataMatrix field it is ZPL's escape character.
        if (longest.indexOf('_') >= 0) {
          node.problem(
              node.key("lotPattern"),
              "can produce \""
                  + longest
                  + "\" with '_', which labels use as the escape character of GS1 fields; use '-' or '.'");
          break;
        }
      }
      return pattern;
    } catch (IllegalArgumentException e) {
      node.problem(node.key("lotPattern"), "\"" + text + "\": " + e.getMessage());
      return null;
    }
  }

  private static LoggingConfig logging(ConfigNode node) {
    node.allowOnly(Set.of("format"));
    return new LoggingConfig(node.choice("format", Map.of("text", false, "json", true), false));
  }

  private static final Set<String> RESERVED_HEADERS =
      Set.of("idempotency-key", "content-type", "content-length", "host", "transfer-encoding");

  private static ErpConfig erp(ConfigNode node, Optional<String> location) {
    node.allowOnly(
        Set.of(
            "url",
            "routes",
            "retry",
            "probeMaxMs",
            "concurrency",
            "timeoutMs",
            "keepDeliveredDays",
            "headers",
            "kafka",
            "epcis"));
    Optional<URI> url =
        node.optionalString("url")
            .flatMap(
                u ->
                    httpUrl(
                        node,
                        u,
                        "give them in erp.headers (values from the environment,"
                            + " e.g. Authorization: \"Bearer ${ERP_TOKEN}\")"));
    Optional<Path> routes = node.optionalString("routes").map(Path::of);
    routes
        .filter(r -> !Files.isRegularFile(r))
        .ifPresent(r -> node.problem(node.key("routes"), "no such file: " + r.toAbsolutePath()));
    Optional<KafkaConfig> kafka = node.child("kafka").map(ConfigLoader::kafka);
    Optional<EpcisConfig> epcis = node.child("epcis").map(e -> epcis(e, location));
    if (url.isEmpty()
        && routes.isEmpty()
        && !node.has("url")
        && !node.has("kafka")
        && !node.has("epcis")) {
      node.problem(
          node.key("url"),
          "is required (or erp.routes for Camel routes, erp.kafka for Kafka, erp.epcis for an"
              + " EPCIS repository)");
    }
    Backoff retry =
        node.child("retry")
            .map(ConfigLoader::retry)
            .orElse(new Backoff(Duration.ofMillis(500), Duration.ofSeconds(60)));
    int probeMax = node.integer("probeMaxMs", 2_000, 1, 3_600_000);
    Backoff probe =
        new Backoff(
            retry.initial().compareTo(Duration.ofMillis(probeMax)) < 0
                ? retry.initial()
                : Duration.ofMillis(probeMax),
            Duration.ofMillis(probeMax));
    Map<String, Secret> headers = headers(node);
    if (!headers.isEmpty() && routes.isPresent()) {
      node.problem(
          node.key("headers"),
          "are for the default route to erp.url; Camel routes (erp.routes) set their own");
    }
    return new ErpConfig(
        url,
        routes,
        kafka,
        epcis,
        headers,
        retry,
        probe,
        node.integer("concurrency", 8, 1, 64),
        node.integer("timeoutMs", 10_000, 100, 600_000),
        node.integer("keepDeliveredDays", 7, 0, 3650));
  }

  /**
   * Producer settings the gateway makes itself: what it promises (no loss, no reordering, no
   * duplicate from the producer's own retries) rests on them.
   */
  private static final Map<String, String> KAFKA_FIXED =
      Map.of(
          "acks", "all: an event is delivered once every in-sync replica has it",
          "enable.idempotence", "true: the producer's own retries add no duplicates",
          "bootstrap.servers", "erp.kafka.bootstrap",
          "key.serializer", "the gateway's",
          "value.serializer", "the gateway's",
          "transactional.id", "not used: the outbox makes delivery safe");

  private static KafkaConfig kafka(ConfigNode node) {
    node.allowOnly(Set.of("bootstrap", "topic", "properties", "concurrency"));
    String bootstrap = node.string("bootstrap");
    if (bootstrap != null
        && !bootstrap.matches(
            "[A-Za-z0-9.\\[\\]:_-]+:[0-9]{1,5}(,[A-Za-z0-9.\\[\\]:_-]+:[0-9]{1,5})*")) {
      node.problem(
          node.key("bootstrap"),
          "must be host:port[,host:port...], e.g. \"k1:9092,k2:9092\", not \"" + bootstrap + "\"");
    }
    String topic = node.string("topic", "linegate.events");
    if (!topic.matches("[A-Za-z0-9._-]{1,249}")) {
      node.problem(node.key("topic"), "\"" + topic + "\" is not a Kafka topic name");
    }
    Map<String, Secret> properties = new LinkedHashMap<>();
    ConfigNode props = node.child("properties").orElse(null);
    node.valueMap("properties")
        .forEach(
            (name, value) -> {
              String fixed = KAFKA_FIXED.get(name);
              if (fixed != null) {
                props.problem(props.key(name), "is set by the gateway (" + fixed + ")");
              }
              properties.put(name, new Secret(value));
            });
    int maxRequestBytes = 1_048_576;
    Secret max = properties.get("max.request.size");
    if (max != null) {
      try {
        maxRequestBytes = Integer.parseInt(max.value().trim());
        if (maxRequestBytes < 65_536) {
          props.problem(props.key("max.request.size"), "must be at least 65536 bytes");
        }
      } catch (NumberFormatException e) {
        props.problem(props.key("max.request.size"), "must be a number of bytes");
      }
    }
    return new KafkaConfig(
        bootstrap == null ? "" : bootstrap,
        topic,
        properties,
        node.integer("concurrency", 32, 1, 256),
        maxRequestBytes);
  }

  private static EpcisConfig epcis(ConfigNode node, Optional<String> location) {
    node.allowOnly(
        Set.of("url", "headers", "maxEventsPerDocument", "maxEpcsPerEvent", "concurrency"));
    Optional<URI> url =
        node.optionalString("url")
            .flatMap(
                u ->
                    httpUrl(
                        node,
                        u,
                        "give them in erp.epcis.headers (values from the environment,"
                            + " e.g. Authorization: \"Bearer ${EPCIS_TOKEN}\")"));
    if (url.isEmpty() && !node.has("url")) {
      node.problem(node.key("url"), "is required: the EPCIS repository's capture URL");
    }
    if (location.isEmpty()) {
      node.problem(
          node.path(),
          "needs gs1.location (urn:epc:id:sgln:...): the readPoint and bizLocation of its events");
    }
    return new EpcisConfig(
        url.orElse(null),
        headers(node),
        node.integer("maxEventsPerDocument", 500, 1, 100_000),
        node.integer("maxEpcsPerEvent", 10_000, 1, 1_000_000),
        node.integer("concurrency", 4, 1, 64),
        location.orElse(""));
  }

  /** HTTP headers to send, their values secrets; the gateway's own may not be set. */
  private static Map<String, Secret> headers(ConfigNode node) {
    Map<String, Secret> headers = new LinkedHashMap<>();
    node.valueMap("headers")
        .forEach(
            (name, value) -> {
              if (!name.matches("[A-Za-z0-9!#$%&'*+.^_`|~-]+")) {
                node.problem(node.key("headers"), "\"" + name + "\" is not an HTTP header name");
              } else if (RESERVED_HEADERS.contains(name.toLowerCase(Locale.ROOT))
                  || name.regionMatches(true, 0, "Camel", 0, 5)
                  || name.regionMatches(true, 0, "Linegate", 0, 8)) {
                // The gateway's own (the ERP de-duplicates by Idempotency-Key), and Camel's control
                // headers, which would change where or how the request goes.
                node.problem(
                    node.key("headers"), "\"" + name + "\" is set by the gateway or by Camel");
              }
              headers.put(name, new Secret(value));
            });
    return headers;
  }

  /** An http(s) URL without credentials in it ({@code credentialsHint}: where they go instead). */
  private static Optional<URI> httpUrl(ConfigNode node, String text, String credentialsHint) {
    // Before parsing, and not echoed: what is before an @ is a name and a password, and a URL that
    // does not parse (an @ in the password, a space) would be quoted whole in the parser's message.
    if (text.contains("@")) {
      node.problem(node.key("url"), "must not carry credentials: " + credentialsHint);
      return Optional.empty();
    }
    try {
      URI uri = URI.create(text);
      if (!Objects.equals(uri.getScheme(), "http") && !Objects.equals(uri.getScheme(), "https")
          || uri.getHost() == null) {
        node.problem(node.key("url"), "must be an http:// or https:// URL, not \"" + text + "\"");
        return Optional.empty();
      }
      return Optional.of(uri);
    } catch (IllegalArgumentException e) {
      node.problem(node.key("url"), "is not a URL: " + e.getMessage());
      return Optional.empty();
    }
  }

  private static Backoff retry(ConfigNode node) {
    node.allowOnly(Set.of("initialMs", "maxMs"));
    int initial = node.integer("initialMs", 500, 1, 3_600_000);
    int max = node.integer("maxMs", 60_000, 1, 3_600_000);
    if (max < initial) {
      node.problem(node.key("maxMs"), "must not be less than initialMs (" + initial + ")");
      max = initial;
    }
    return new Backoff(Duration.ofMillis(initial), Duration.ofMillis(max));
  }

  private static <T> Set<String> ids(List<T> items, Function<T, String> id) {
    Set<String> ids = new HashSet<>();
    items.stream().map(id).filter(Objects::nonNull).forEach(ids::add);
    return ids;
  }

  private static <T> void unique(
      ConfigNode root, String list, List<T> items, Function<T, String> id, String key) {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < items.size(); i++) {
      String value = id.apply(items.get(i));
      if (value != null && !seen.add(value)) {
        root.problem(list + "[" + i + "]." + key, "\"" + value + "\" is used twice");
      }
    }
  }
}
