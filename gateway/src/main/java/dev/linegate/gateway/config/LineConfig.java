package dev.linegate.gateway.config;

import dev.linegate.connectors.mqtt.MqttSourceConfig;
import dev.linegate.gateway.numbering.LotPattern;
import java.util.Optional;

/** A production line: where its batches come from and how its lots are numbered and labelled. */
public record LineConfig(
    String id, LotPattern lotPattern, Labels labels, Optional<String> printer, Optional<String> scanner, MqttSourceConfig mqtt) {

  public enum Labels {
    UNIT,
    LOT,
    NONE
  }
}
