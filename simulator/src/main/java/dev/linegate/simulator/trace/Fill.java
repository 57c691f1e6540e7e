package dev.linegate.simulator.trace;

import dev.linegate.simulator.mqtt.BatchGenerator;
import dev.linegate.simulator.mqtt.MqttPlc;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes batches on one line until the gateway holds {@code target} serials of it. What is there
 * already counts, so a second run on the same data directory tops up instead of doubling.
 */
final class Fill {
  private static final Logger LOG = LoggerFactory.getLogger(Fill.class);
  private static final String SERIALS_METRIC = "linegate_serials_total";
  private static final long POLL_MS = 200;

  /**
   * Serials committed by this fill, and how long from the first publish to the last commit seen.
   */
  record Result(long existing, long added, double seconds) {
    double serialsPerSecond() {
      return seconds > 0 ? added / seconds : 0;
    }
  }

  record Options(
      String broker,
      String topic,
      String line,
      String product,
      long target,
      int unitsPerBatch,
      double rate,
      Duration timeout) {}

  private final GatewayApi api;
  private final Options options;

  Fill(GatewayApi api, Options options) {
    this.api = api;
    this.options = options;
  }

  Result run() throws Exception {
    long existing = serialsOfLine();
    long missing = options.target() - existing;
    if (missing <= 0) {
      LOG.info("line {} already has {} serials; no fill", options.line(), existing);
      return new Result(existing, 0, 0);
    }
    long batches = (missing + options.unitsPerBatch() - 1) / options.unitsPerBatch();
    long added = batches * options.unitsPerBatch();
    // The gateway's counter counts since its start; the lots already there are in 'existing'.
    String label = "line=\"" + options.line() + "\"";
    double counterBefore = api.metric(SERIALS_METRIC, label);
    LOG.info(
        "line {} has {} serials; publishing {} batches of {} at {} batches/s",
        options.line(),
        existing,
        batches,
        options.unitsPerBatch(),
        options.rate());
    var publishing =
        new BatchGenerator.Options(
            List.of(options.line()),
            options.rate(),
            OptionalLong.of(batches),
            Optional.empty(),
            options.product(),
            options.unitsPerBatch(),
            0,
            0);
    long start = System.nanoTime();
    try (var plc = MqttPlc.connect(options.broker(), options.topic())) {
      var sent = new BatchGenerator(publishing, new SplittableRandom(), p -> {}).run(plc);
      if (sent.failed() > 0) {
        throw new IOException(sent.failed() + " batches were not acknowledged by the broker");
      }
    }
    long deadline = System.nanoTime() + options.timeout().toNanos();
    double committed;
    while ((committed = api.metric(SERIALS_METRIC, label) - counterBefore) < added) {
      if (System.nanoTime() - deadline > 0) {
        throw new IOException(
            "the gateway committed "
                + (long) committed
                + " of "
                + added
                + " serials within "
                + options.timeout());
      }
      TimeUnit.MILLISECONDS.sleep(POLL_MS); // the counter has no event to wait on
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    long now = serialsOfLine();
    LOG.info("line {} now has {} serials in its lots", options.line(), now);
    return new Result(existing, now - existing, seconds);
  }

  private long serialsOfLine() throws IOException, InterruptedException {
    return api.lots(options.line()).stream().mapToLong(GatewayApi.Lot::quantity).sum();
  }
}
