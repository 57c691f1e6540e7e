package dev.linegate.gateway;

import dev.linegate.connectors.ConnectorStatus;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.function.Supplier;

/**
 * Every check of {@code /health} as {@code linegate_connector_up{kind,id}}, 1 while it is UP: the
 * lines' sources, printers, scanners, the ERP, the store and the disk, all the same way. Kind and
 * id come from the check's name: {@code printer:P1} is kind {@code printer}, id {@code P1}; a name
 * without a colon ({@code erp}) is both.
 */
final class ConnectorMeters {

  private ConnectorMeters() {}

  static void bind(Supplier<List<ConnectorStatus>> checks, MeterRegistry metrics) {
    for (ConnectorStatus check : checks.get()) {
      String name = check.name();
      int colon = name.indexOf(':');
      Gauge.builder("linegate_connector_up", () -> up(checks, name))
          .description("1 while the connection or part is UP in /health, else 0")
          .tag("kind", colon < 0 ? name : name.substring(0, colon))
          .tag("id", colon < 0 ? name : name.substring(colon + 1))
          .register(metrics);
    }
  }

  private static double up(Supplier<List<ConnectorStatus>> checks, String name) {
    return checks.get().stream().anyMatch(check -> check.name().equals(name) && check.up()) ? 1 : 0;
  }
}
