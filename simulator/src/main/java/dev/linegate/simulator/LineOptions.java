package dev.linegate.simulator;

import dev.linegate.simulator.mqtt.MqttPlc;
import java.util.List;
import picocli.CommandLine.Option;

/** Options shared by the commands that play the lines' PLCs. */
public final class LineOptions {
  @Option(
      names = "--lines",
      split = ",",
      defaultValue = "L1,L2",
      description = "Line ids, comma separated (default: ${DEFAULT-VALUE}).")
  public List<String> lines;

  @Option(
      names = "--topic",
      defaultValue = MqttPlc.DEFAULT_TOPIC,
      description = "Topic per line; {line} is replaced (default: ${DEFAULT-VALUE}).")
  public String topic;

  @Option(
      names = "--product",
      defaultValue = "WIDGET-100",
      description = "Product code sent with each batch (default: ${DEFAULT-VALUE}).")
  public String product;
}
