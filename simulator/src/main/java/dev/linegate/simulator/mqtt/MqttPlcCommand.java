package dev.linegate.simulator.mqtt;

import dev.linegate.simulator.CtrlC;
import dev.linegate.simulator.Limit;
import dev.linegate.simulator.LineOptions;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "mqtt-plc",
    mixinStandardHelpOptions = true,
    description = {
      "PLC over MQTT: publishes batch-complete messages at QoS 1, one topic per line.",
      "Without --count or --duration it runs until Ctrl-C."
    })
public final class MqttPlcCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(MqttPlcCommand.class);

  @Option(
      names = "--broker",
      defaultValue = "tcp://127.0.0.1:1883",
      description = "Default: ${DEFAULT-VALUE}.")
  String broker;

  @Mixin LineOptions line;

  @Option(
      names = "--quantity",
      defaultValue = "10",
      description = "Units per batch (default: ${DEFAULT-VALUE}).")
  int quantity;

  @Option(
      names = "--rate",
      defaultValue = "1",
      description = "Batches per second per line (default: ${DEFAULT-VALUE}).")
  double rate;

  @ArgGroup(exclusive = true)
  Limit limit = new Limit();

  @Option(
      names = "--duplicates",
      defaultValue = "0.0",
      description =
          "Share of messages that re-send an earlier batch unchanged (default: ${DEFAULT-VALUE}).")
  double duplicates;

  @Option(
      names = "--malformed",
      defaultValue = "0.0",
      description =
          "Share of malformed messages: bad JSON, missing fields, bad quantity... (default:"
              + " ${DEFAULT-VALUE}).")
  double malformed;

  @Override
  public Integer call() throws Exception {
    int lines = line.lines.size();
    var options =
        new BatchGenerator.Options(
            line.lines,
            rate * lines,
            limit.count().stream().map(perLine -> perLine * lines).findFirst(),
            limit.duration(),
            line.product,
            quantity,
            duplicates,
            malformed);
    var generator =
        new BatchGenerator(options, new SplittableRandom(), MqttPlcCommand::logWhenAcked);
    BatchGenerator.Summary summary;
    try (var ctrlC = CtrlC.install();
        var plc = MqttPlc.connect(broker, line.topic)) {
      ctrlC.onStop(generator::stop);
      summary = generator.run(plc);
    }
    LOG.info(
        "published {} batches, {} duplicates, {} malformed messages; {} failed",
        summary.batches(),
        summary.duplicates(),
        summary.malformed(),
        summary.failed());
    return summary.failed() == 0 ? 0 : 1;
  }

  private static void logWhenAcked(BatchGenerator.Published published) {
    published
        .acked()
        .whenComplete(
            (ok, error) -> {
              if (error == null) {
                LOG.info("{}", published.describe());
              } else {
                LOG.warn("{} failed: {}", published.describe(), error.getMessage());
              }
            });
  }
}
