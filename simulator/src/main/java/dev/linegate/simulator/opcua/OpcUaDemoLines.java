package dev.linegate.simulator.opcua;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo's OPC UA lines: a PLC raising one batch per line at a rate, never more than one waiting
 * per line, so a gateway that is away does not come back to a pile of batches.
 */
public final class OpcUaDemoLines implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(OpcUaDemoLines.class);

  private final OpcUaPlc plc;
  private final ScheduledExecutorService raiser;

  private OpcUaDemoLines(OpcUaPlc plc, ScheduledExecutorService raiser) {
    this.plc = plc;
    this.raiser = raiser;
  }

  /** With no lines, starts nothing. */
  public static OpcUaDemoLines start(
      int port, List<String> lines, String product, int quantity, double ratePerLine)
      throws Exception {
    if (lines.isEmpty()) {
      return new OpcUaDemoLines(null, null);
    }
    Path pki = Files.createDirectories(Path.of("data", "demo-plc-pki"));
    OpcUaPlc plc = OpcUaPlc.start(OpcUaPlcConfig.development(port, lines, pki));
    LOG.info("OPC UA PLC on {} for lines {}", plc.endpointUrl(), lines);
    ScheduledExecutorService raiser =
        Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "opcua-demo"));
    long period = Math.max(1, Math.round(1000 / ratePerLine));
    raiser.scheduleAtFixedRate(
        () -> {
          for (String line : lines) {
            if (plc.state(line).queued() == 0) {
              String batchId = plc.nextBatchId(line);
              LOG.info("PLC batch     -> {} over OPC UA: {} x {}", line, batchId, quantity);
              plc.raise(line, batchId, product, quantity)
                  .thenAccept(
                      lot -> LOG.info("PLC {} read back lot {} for {}", line, lot, batchId));
            }
          }
        },
        period,
        period,
        TimeUnit.MILLISECONDS);
    return new OpcUaDemoLines(plc, raiser);
  }

  @Override
  public void close() {
    if (raiser != null) {
      raiser.shutdownNow();
      plc.close();
    }
  }
}
