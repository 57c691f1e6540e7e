package dev.linegate.simulator.load;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Locale;

/**
 * The figures of a load run. Rates are per second; {@code throughput} is lots committed per second
 * from the first batch sent to the last commit. {@code sent} counts the batches acknowledged: by
 * the broker (MQTT PUBACK) or by the gateway (OPC UA Ack). {@code readyToAck} (the OPC UA
 * handshake: Ready raised to Ack seen) only with OPC UA lines; {@code drain} only when the ERP was
 * down while publishing, {@code recovery} only after an ERP outage in the middle of it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LoadReport(
    double targetRate,
    double achievedRate,
    long sent,
    long publishFailures,
    long lotsFound,
    long missingLots,
    long delivered,
    long missingDeliveries,
    long erpDuplicates,
    long duplicateLots,
    double throughput,
    Latency publishedToCommitted,
    Latency publishedToErp,
    Latency readyToAck,
    Drain drain,
    Recovery recovery) {

  /** Every batch sent has exactly one lot at the gateway and one delivery at the ERP. */
  @JsonProperty("complete")
  public boolean complete() {
    return publishFailures == 0 && missingLots == 0 && missingDeliveries == 0 && duplicateLots == 0;
  }

  public String toText() {
    var text = new StringBuilder();
    line(text, "publish rate", "%.1f batches/s achieved, %.1f targeted", achievedRate, targetRate);
    line(text, "sent", "%d batches acknowledged (PUBACK or Ack), %d failed", sent, publishFailures);
    line(text, "lots at gateway", "%d found, %d missing", lotsFound, missingLots);
    line(
        text,
        "ERP deliveries",
        "%d delivered, %d missing, %d duplicate deliveries, %d duplicate lots",
        delivered,
        missingDeliveries,
        erpDuplicates,
        duplicateLots);
    line(text, "throughput", "%.1f lots committed/s", throughput);
    line(text, "published->committed", "%s", publishedToCommitted.toText());
    line(text, "published->ERP", "%s", publishedToErp.toText());
    if (readyToAck != null) {
      line(text, "OPC UA ready->ack", "%s", readyToAck.toText());
    }
    if (drain != null) {
      line(
          text,
          "ERP backlog drain",
          "%d events in %.1f s (%.1f events/s)",
          drain.events(),
          drain.seconds(),
          drain.eventsPerSecond());
    }
    if (recovery != null) {
      line(
          text,
          "ERP outage",
          "%.1f s refused; %d batches waiting when it was back",
          recovery.outageSeconds(),
          recovery.backlog());
      line(text, "ERP back->delivery", "%s", seconds(recovery.toFirstDelivery(), "first event"));
      line(text, "ERP back->drained", "%s", seconds(recovery.toDrained(), "whole backlog"));
    }
    line(text, "result", "%s", complete() ? "COMPLETE" : "INCOMPLETE");
    return text.toString();
  }

  private static String seconds(Double seconds, String what) {
    return seconds == null
        ? what + " never arrived"
        : String.format(Locale.ROOT, "%s after %.2f s", what, seconds);
  }

  private static void line(StringBuilder text, String label, String format, Object... args) {
    text.append(String.format(Locale.ROOT, "%-22s", label))
        .append(String.format(Locale.ROOT, format, args))
        .append('\n');
  }
}
