package dev.linegate.gateway.config;

import dev.linegate.connectors.mqtt.MqttSourceConfig;
import dev.linegate.connectors.wire.Wires;
import java.net.URI;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Two parts of the configuration that would fight over one thing: a broker's client id, a serial
 * device or a network address. Each clash is reported on the later key and names the earlier one.
 */
final class ConfigConflicts {

  /** Where a key was first seen, and how it was written there. */
  private record First(String key, String written) {}

  private ConfigConflicts() {}

  /**
   * A broker keeps one session per client id: a second line connecting with the same id takes the
   * session over, the first reconnects and takes it back, and neither gets its batches.
   */
  static void clientIds(ConfigNode root, List<LineConfig> lines) {
    Map<String, First> seen = new HashMap<>();
    for (int i = 0; i < lines.size(); i++) {
      Optional<MqttSourceConfig> mqtt =
          lines.get(i).mqtt().filter(m -> m.broker() != null && m.clientId() != null);
      if (mqtt.isEmpty()) {
        continue;
      }
      String key = "lines[" + i + "].source.mqtt.clientId";
      // Scheme and host name are not case-sensitive; the client id is.
      String session = mqtt.get().broker().toLowerCase(Locale.ROOT) + " " + mqtt.get().clientId();
      First first = seen.putIfAbsent(session, new First(key, mqtt.get().broker()));
      if (first != null) {
        root.problem(
            key,
            "\""
                + mqtt.get().clientId()
                + "\" is also "
                + first.key()
                + " on "
                + first.written()
                + "; a broker keeps one session per client id, so the two lines would take it from each other");
      }
    }
  }

  /** One port, one device: two readers or writers on a port would take each other's bytes. */
  static void ports(ConfigNode root, List<PrinterConfig> printers, List<ScannerConfig> scanners) {
    Map<String, First> seen = new HashMap<>();
    for (int i = 0; i < printers.size(); i++) {
      port(root, seen, "printers[" + i + "].port", printers.get(i).port());
    }
    for (int i = 0; i < scanners.size(); i++) {
      port(root, seen, "scanners[" + i + "].port", scanners.get(i).port());
    }
  }

  private static void port(ConfigNode root, Map<String, First> seen, String key, String port) {
    if (port == null) {
      return;
    }
    First first = seen.putIfAbsent(normalised(port), new First(key, port));
    if (first != null) {
      root.problem(
          key,
          "\""
              + port
              + "\" is also "
              + first.key()
              + " ("
              + first.written()
              + "); give each printer and scanner a port of its own");
    }
  }

  /**
   * {@code tcp://Host:9100} as {@code tcp://host:9100}; a device path without {@code .} or {@code
   * ..}.
   */
  private static String normalised(String port) {
    try {
      if (Wires.tcp(port)) {
        URI address = Wires.tcpAddress(port);
        return "tcp://" + address.getHost().toLowerCase(Locale.ROOT) + ":" + address.getPort();
      }
      return Path.of(port).normalize().toString();
    } catch (IllegalArgumentException e) {
      // Reported where the port is opened; compared as written meanwhile.
      return port;
    }
  }
}
