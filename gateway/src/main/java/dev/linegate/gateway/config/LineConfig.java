package dev.linegate.gateway.config;

import dev.linegate.connectors.mqtt.MqttSourceConfig;
import dev.linegate.connectors.opcua.OpcUaSourceConfig;
import dev.linegate.gateway.numbering.LotPattern;
import java.util.Optional;
import java.util.Set;

/**
 * A production line: where its batches come from (exactly one of {@code mqtt} and {@code opcua})
 * and how its lots are numbered and labelled. {@code products} are the codes the line may make;
 * empty means any configured product.
 */
public record LineConfig(
    String id,
    LotPattern lotPattern,
    Set<String> products,
    Labels labels,
    Optional<String> printer,
    Optional<String> scanner,
    Optional<MqttSourceConfig> mqtt,
    Optional<OpcUaSourceConfig> opcua) {

  public boolean makes(String product) {
    return products.isEmpty() || products.contains(product);
  }

  public enum Labels {
    UNIT,
    LOT,
    NONE
  }
}
