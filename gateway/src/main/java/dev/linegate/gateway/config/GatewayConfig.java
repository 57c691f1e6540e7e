package dev.linegate.gateway.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The whole validated configuration; after {@link ConfigLoader} the code trusts it. */
public record GatewayConfig(
    String id,
    Path dataDir,
    HttpConfig http,
    List<ProductConfig> products,
    List<LineConfig> lines,
    List<PrinterConfig> printers,
    List<ScannerConfig> scanners,
    ErpConfig erp) {

  public record HttpConfig(String host, int port) {}

  public Map<String, LineConfig> linesById() {
    return lines.stream().collect(Collectors.toUnmodifiableMap(LineConfig::id, Function.identity()));
  }

  public Map<String, ProductConfig> productsByCode() {
    return products.stream().collect(Collectors.toUnmodifiableMap(ProductConfig::code, Function.identity()));
  }
}
