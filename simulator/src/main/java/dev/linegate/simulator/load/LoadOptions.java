package dev.linegate.simulator.load;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Stream;

/**
 * A load run: publish {@code quantity} units of {@code product} on {@code lines} (over MQTT, on
 * {@code topic}) and {@code opcuaLines} (raised on an OPC UA PLC started on {@code opcuaPort}, 0
 * for a free port) at {@code rate} batches per second in total, for {@code count} batches or for
 * {@code duration}, then wait up to {@code timeout} for the lots at {@code gateway} (read with the
 * bearer token {@code gatewayToken}, as the gateway's API wants a login) and their events at an ERP
 * on {@code erpPort}. A {@code warmup} first publishes at the same rate, unmeasured, and waits
 * until the ERP has those events, so that the figures describe a warm gateway and a warm ERP, not
 * their first seconds. The ERP can be down for the whole publishing ({@code
 * erpDownWhilePublishing}) or for an {@code erpOutage} in the middle of it.
 */
public record LoadOptions(
    String broker,
    URI gateway,
    Optional<String> gatewayToken,
    int erpPort,
    List<String> lines,
    String topic,
    List<String> opcuaLines,
    int opcuaPort,
    String product,
    int quantity,
    double rate,
    OptionalLong count,
    Optional<Duration> duration,
    boolean erpDownWhilePublishing,
    Optional<ErpOutage> erpOutage,
    Duration timeout,
    Duration warmup) {

  /**
   * The ERP refuses connections for {@code length}, {@code after} into publishing, which goes on.
   */
  public record ErpOutage(Duration after, Duration length) {
    public ErpOutage {
      if (after.isNegative() || length.isNegative() || length.isZero()) {
        throw new IllegalArgumentException("an ERP outage needs a start >= 0 and a length > 0");
      }
    }
  }

  public LoadOptions {
    lines = List.copyOf(lines);
    opcuaLines = List.copyOf(opcuaLines);
    if (lines.isEmpty() && opcuaLines.isEmpty()) {
      throw new IllegalArgumentException("a load run needs at least one line, MQTT or OPC UA");
    }
    if (opcuaLines.stream().anyMatch(lines::contains)) {
      throw new IllegalArgumentException(
          "a line is either MQTT or OPC UA, not both: " + lines + " and " + opcuaLines);
    }
    if (count.isEmpty() == duration.isEmpty()) {
      throw new IllegalArgumentException("a load run needs either a count or a duration");
    }
    if (erpDownWhilePublishing && erpOutage.isPresent()) {
      throw new IllegalArgumentException(
          "the ERP is either down while publishing or down for an outage, not both");
    }
  }

  /** The MQTT lines, then the OPC UA lines: the order batches are published in. */
  public List<String> allLines() {
    return Stream.concat(lines.stream(), opcuaLines.stream()).toList();
  }
}
