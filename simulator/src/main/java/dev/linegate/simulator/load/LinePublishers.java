package dev.linegate.simulator.load;

import dev.linegate.simulator.BatchIds;
import dev.linegate.simulator.BatchPublisher;
import dev.linegate.simulator.Signalled;
import dev.linegate.simulator.mqtt.BatchMessage;
import dev.linegate.simulator.mqtt.MqttPlc;
import dev.linegate.simulator.opcua.OpcUaPlc;
import dev.linegate.simulator.opcua.OpcUaPlcConfig;
import dev.linegate.simulator.opcua.OpcUaPublisher;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PLCs of a load run, one per protocol, behind one {@link BatchPublisher}: MQTT lines publish
 * through the broker, OPC UA lines are raised on an OPC UA PLC started here. Batch ids come from
 * one run id, so the run recognises its own batches whichever way they went.
 */
final class LinePublishers implements BatchPublisher, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LinePublishers.class);

  private final BatchIds ids = new BatchIds();
  private final Map<String, BatchPublisher> byLine = new LinkedHashMap<>();
  private final List<AutoCloseable> owned = new ArrayList<>();

  private LinePublishers() {}

  static LinePublishers open(LoadOptions options) throws Exception {
    var publishers = new LinePublishers();
    try {
      if (!options.lines().isEmpty()) {
        var mqtt = MqttPlc.connect(options.broker(), options.topic());
        publishers.owned.add(mqtt);
        options.lines().forEach(line -> publishers.byLine.put(line, mqtt));
      }
      if (!options.opcuaLines().isEmpty()) {
        // Security None: no certificate, so the folder is never created.
        var config =
            OpcUaPlcConfig.development(
                options.opcuaPort(), options.opcuaLines(), Path.of("simulator-pki"));
        var plc = OpcUaPlc.start(config);
        publishers.owned.add(plc);
        LOG.info("OPC UA PLC on {} for lines {}", plc.endpointUrl(), options.opcuaLines());
        var opcua = new OpcUaPublisher(plc);
        options.opcuaLines().forEach(line -> publishers.byLine.put(line, opcua));
      }
      return publishers;
    } catch (Exception e) {
      publishers.close();
      throw e;
    }
  }

  /** Part of every batch id of this run. */
  String runId() {
    return ids.runId();
  }

  @Override
  public String nextBatchId(String line) {
    return ids.next(line);
  }

  @Override
  public String destination(String line) {
    return of(line).destination(line);
  }

  @Override
  public CompletableFuture<Signalled> signal(BatchMessage batch) {
    return of(batch.line()).signal(batch);
  }

  @Override
  public boolean awaitAcks(Duration timeout) throws InterruptedException {
    boolean all = true;
    for (BatchPublisher publisher : new LinkedHashSet<>(byLine.values())) {
      all &= publisher.awaitAcks(timeout);
    }
    return all;
  }

  @Override
  public void close() {
    for (int i = owned.size() - 1; i >= 0; i--) {
      try {
        owned.get(i).close();
      } catch (Exception e) {
        LOG.warn("closing {} failed", owned.get(i).getClass().getSimpleName(), e);
      }
    }
  }

  private BatchPublisher of(String line) {
    BatchPublisher publisher = byLine.get(line);
    if (publisher == null) {
      throw new IllegalArgumentException("line " + line + " is not part of this run");
    }
    return publisher;
  }
}
