package dev.linegate.simulator.scanner;

import java.util.Optional;

/**
 * What the scanner did with one printed label.
 *
 * @param labelSequence the printed label's sequence number
 * @param printed the data of the label's first bar code, as a perfect read would send it (no AIM
 *     identifier); empty for a label without bar code
 * @param sent what went over the wire, AIM identifier included, terminator not; empty when nothing
 *     was sent
 */
public record ScanBack(
    long labelSequence, Outcome outcome, Optional<String> printed, Optional<String> sent) {

  public enum Outcome {
    READ,
    /** Read with one character changed. */
    MISREAD,
    /** Not read: nothing sent. */
    NO_READ,
    /** The label has no bar code: nothing sent. */
    NO_BARCODE
  }
}
