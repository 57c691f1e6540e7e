package dev.linegate.simulator.scanner;

import java.util.Optional;

/**
 * How the simulated scanner is set up.
 *
 * @param aim AIM symbology identifiers on: the identifier sent before a code whose symbology is not
 *     known ({@link SimulatedScanner#scan(String)}); scan-back sends the one of each symbol. Empty:
 *     no identifiers.
 * @param seed for the random choices of scan-back and garbage, so that a run can be repeated
 */
public record ScannerSettings(Terminator terminator, Optional<String> aim, long seed) {

  /** CR, no AIM identifiers, seed 1: a scanner out of the box. */
  public static final ScannerSettings DEFAULT =
      new ScannerSettings(Terminator.CR, Optional.empty(), 1);

  /** The identifier of a GS1 DataMatrix, the usual symbol on a unit label. */
  public static final String GS1_DATAMATRIX = "]d2";

  public ScannerSettings {
    aim.ifPresent(
        id -> {
          if (!id.matches("\\][A-Za-z][0-9A-Za-z]")) {
            throw new IllegalArgumentException(
                "an AIM identifier is ] + symbology letter + modifier, such as ]d2, not '"
                    + id
                    + "'");
          }
        });
  }

  public ScannerSettings withTerminator(Terminator terminator) {
    return new ScannerSettings(terminator, aim, seed);
  }

  /** AIM identifiers on; {@code id} is sent before codes of unknown symbology. */
  public ScannerSettings withAim(String id) {
    return new ScannerSettings(terminator, Optional.of(id), seed);
  }

  public ScannerSettings withSeed(long seed) {
    return new ScannerSettings(terminator, aim, seed);
  }
}
