package dev.linegate.simulator.opcua;

import java.util.Set;
import org.eclipse.milo.opcua.sdk.core.AccessLevel;
import org.eclipse.milo.opcua.stack.core.NodeIds;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;

/** The handshake variables of one line: {@code <line>.Batch.<name>}. */
public enum BatchField {
  READY("Ready", NodeIds.Boolean, new Variant(false), AccessLevel.READ_ONLY),
  ID("Id", NodeIds.String, new Variant(""), AccessLevel.READ_ONLY),
  PRODUCT("Product", NodeIds.String, new Variant(""), AccessLevel.READ_ONLY),
  /** Its data type is the PLC's {@link QuantityType}. */
  QUANTITY("Quantity", NodeIds.Int32, new Variant(0), AccessLevel.READ_ONLY),
  /** Written by the gateway. */
  LOT("Lot", NodeIds.String, new Variant(""), AccessLevel.READ_WRITE),
  /** Written by the gateway. */
  ACK("Ack", NodeIds.Boolean, new Variant(false), AccessLevel.READ_WRITE);

  private final String name;
  private final NodeId dataType;
  private final Variant initial;
  private final Set<AccessLevel> access;

  BatchField(String name, NodeId dataType, Variant initial, Set<AccessLevel> access) {
    this.name = name;
    this.dataType = dataType;
    this.initial = initial;
    this.access = access;
  }

  /** The string identifier of the line's node, e.g. {@code L1.Batch.Ready}. */
  public String identifier(String line) {
    return line + ".Batch." + name;
  }

  public String browseName() {
    return name;
  }

  NodeId dataType() {
    return dataType;
  }

  Variant initial() {
    return initial;
  }

  Set<AccessLevel> access() {
    return access;
  }

  boolean writableByClients() {
    return access.contains(AccessLevel.CurrentWrite);
  }
}
