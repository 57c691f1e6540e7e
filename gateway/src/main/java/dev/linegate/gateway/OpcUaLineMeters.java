package dev.linegate.gateway;

import dev.linegate.connectors.opcua.OpcUaBatchSource;
import dev.linegate.connectors.opcua.OpcUaLineState;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Locale;

/**
 * An OPC UA line's handshake in the metrics, as /health shows it: one series per state, 1 for the
 * state the line is in and 0 for the others (so a dashboard can count lines per state and an alert
 * can fire on a line stuck in one), and the batches acknowledged to the PLC.
 */
final class OpcUaLineMeters {

  private OpcUaLineMeters() {}

  static void bind(OpcUaBatchSource source, MeterRegistry metrics) {
    for (OpcUaLineState.Phase phase : OpcUaLineState.Phase.values()) {
      Gauge.builder(
              "linegate_opcua_handshake_state", () -> source.lineState().phase() == phase ? 1 : 0)
          .description("1 for the state the line's Ready/Ack handshake is in, 0 for the others")
          .tag("line", source.line())
          .tag("state", phase.name().toLowerCase(Locale.ROOT))
          .register(metrics);
    }
    FunctionCounter.builder(
            "linegate_opcua_handshakes", source, OpcUaBatchSource::acknowledgedBatches)
        .description("Batches acknowledged to the PLC: lot and ack written after the commit")
        .tag("line", source.line())
        .register(metrics);
  }
}
