package dev.linegate.simulator;

import dev.linegate.simulator.printer.PrintedLabel;
import dev.linegate.simulator.printer.SimulatedPrinter;
import dev.linegate.simulator.scanner.ReadRates;
import dev.linegate.simulator.scanner.SimulatedScanner;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo's operator at station S1: scans back what printer P1 printed since the last round, and
 * like a real one sometimes misses a label or the scanner misreads it, so the screen shows red too.
 */
final class DemoOperator {

  private static final Logger LOG = LoggerFactory.getLogger(DemoOperator.class);
  private static final ReadRates HUMAN = new ReadRates(0.03, 0.03);

  private final SimulatedPrinter printer;
  private final SimulatedScanner scanner;
  private int scanned;

  DemoOperator(SimulatedPrinter printer, SimulatedScanner scanner) {
    this.printer = printer;
    this.scanner = scanner;
  }

  void scanNewLabels() {
    List<PrintedLabel> printed = printer.labels();
    if (printed.size() <= scanned) {
      return;
    }
    try {
      scanner.scanBack(printed.subList(scanned, printed.size()), HUMAN);
      scanned = printed.size();
    } catch (RuntimeException e) {
      // The gateway's end of the cable may not be open yet; the next round tries again.
      LOG.debug("Scanning back: {}", e.getMessage());
    }
  }
}
