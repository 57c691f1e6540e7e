package dev.linegate.gateway.printing;

/**
 * A print job: the labels of one lot, one reprint, or a case's or pallet's SSCC label. Positions
 * count labels from the start of the job; {@code sent} labels have been handed to the printer and
 * {@code settled} of those have a known outcome (printed, or handed to an operator as uncertain).
 * {@code reported} of the settled ones are already in a {@code label.printed} event.
 */
public record PrintJob(
    long id,
    long lotId,
    String lot,
    String line,
    Kind kind,
    long firstSerial,
    int labels,
    int sent,
    int settled,
    int reported,
    String lotStatus,
    long containerId) {

  public enum Kind {
    /** One label per unit: label k is the lot's serial with row id {@code firstSerial + k - 1}. */
    UNIT,
    /** One label for the whole lot. */
    LOT,
    /** One label again, on an operator's request: a unit label if {@code firstSerial > 0}. */
    REPRINT,
    /**
     * The SSCC label of case or pallet {@code containerId}; its lot is that of the container's
     * first unit, so that a held lot's case label waits like its unit labels.
     */
    CONTAINER;

    String column() {
      return name().toLowerCase();
    }
  }

  public boolean hasSerials() {
    return firstSerial > 0;
  }

  /** Labels handed to the printer whose outcome is not known yet. */
  public int outstanding() {
    return sent - settled;
  }

  public boolean finished() {
    return settled == labels;
  }

  /** Its lot is released: a held or recalled lot's labels are not sent (SPEC section 9). */
  public boolean mayPrint() {
    return lotStatus.equals("released");
  }
}
