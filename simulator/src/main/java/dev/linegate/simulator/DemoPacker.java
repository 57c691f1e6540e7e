package dev.linegate.simulator;

import dev.linegate.simulator.printer.PrintedLabel;
import dev.linegate.simulator.printer.SimulatedPrinter;
import dev.linegate.simulator.scanner.ReadRates;
import dev.linegate.simulator.scanner.SimulatedScanner;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo's packer at packing station PACK1: scans the units printer P1 printed since the last
 * round into cases, then the case labels that came out of P3 onto the pallet (pallet labels are not
 * scanned: they go on the pallet). Like a real one, now and then a scan is misread.
 */
final class DemoPacker {

  private static final Logger LOG = LoggerFactory.getLogger(DemoPacker.class);
  private static final ReadRates HUMAN = new ReadRates(0, 0.02);

  private final SimulatedPrinter unitPrinter;
  private final SimulatedPrinter casePrinter;
  private final SimulatedScanner scanner;
  private int unitsScanned;
  private int caseLabelsSeen;

  DemoPacker(SimulatedPrinter unitPrinter, SimulatedPrinter casePrinter, SimulatedScanner scanner) {
    this.unitPrinter = unitPrinter;
    this.casePrinter = casePrinter;
    this.scanner = scanner;
  }

  void packNewUnits() {
    try {
      List<PrintedLabel> units = unitPrinter.labels();
      if (units.size() > unitsScanned) {
        scanner.scanBack(units.subList(unitsScanned, units.size()), HUMAN);
        unitsScanned = units.size();
      }
      List<PrintedLabel> containers = casePrinter.labels();
      if (containers.size() > caseLabelsSeen) {
        List<PrintedLabel> cases =
            containers.subList(caseLabelsSeen, containers.size()).stream()
                .filter(DemoPacker::isCaseLabel)
                .toList();
        scanner.scanBack(cases, ReadRates.PERFECT);
        caseLabelsSeen = containers.size();
      }
    } catch (RuntimeException e) {
      // The gateway may not have connected to the station's scanner yet; the next round tries
      // again.
      LOG.debug("Packing: {}", e.getMessage());
    }
  }

  /** config/labels/case-sscc.zpl's first line says CASE, pallet-sscc.zpl's PALLET. */
  private static boolean isCaseLabel(PrintedLabel label) {
    return !label.texts().isEmpty() && label.texts().get(0).startsWith("CASE");
  }
}
