package dev.linegate.gateway.outbox;

/** The business events sent to the ERP (SPEC section 5). */
public enum EventType {
  LOT_COMPLETED("dev.linegate.lot.completed"),
  /** The further serials of a lot larger than one part, in order behind its lot.completed. */
  LOT_SERIALS("dev.linegate.lot.serials"),
  LOT_STATUS_CHANGED("dev.linegate.lot.status-changed"),
  LABEL_PRINTED("dev.linegate.label.printed"),
  LABEL_VERIFIED("dev.linegate.label.verified"),
  LABEL_FAILED("dev.linegate.label.failed"),
  /** A serial scrapped, sampled or voided (SPEC section 9). */
  SERIAL_STATUS_CHANGED("dev.linegate.serial.status-changed"),
  /** A lot closed after its reconciliation, with the counts. */
  LOT_CLOSED("dev.linegate.lot.closed"),
  /** A case or pallet committed with its SSCC and children (SPEC section 10). */
  AGGREGATION_PACKED("dev.linegate.aggregation.packed"),
  /** A case or pallet unpacked for rework: its children are free again. */
  AGGREGATION_UNPACKED("dev.linegate.aggregation.unpacked");

  private final String cloudEventType;

  EventType(String cloudEventType) {
    this.cloudEventType = cloudEventType;
  }

  public String cloudEventType() {
    return cloudEventType;
  }
}
