package dev.linegate.gateway.config;

import dev.linegate.connectors.mqtt.MqttSourceConfig;
import dev.linegate.gateway.numbering.LotPattern;
import java.util.Optional;
import java.util.Set;

/**
 * A production line: where its batches come from and how its lots are numbered and labelled.
 * {@code products} are the codes the line may make; empty means any configured product.
 */
public record LineConfig(
    String id, LotPattern lotPattern, Set<String> products, Labels labels, Optional<String> printer, Optional<String> scanner, MqttSourceConfig mqtt) {

  public boolean makes(String product) {
    return products.isEmpty() || products.contains(product);
  }

  public enum Labels {
    UNIT,
    LOT,
    NONE
  }
}
