package dev.linegate.simulator.opcua;

import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.ubyte;
import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;
import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.ulong;
import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.ushort;

import java.util.function.LongFunction;
import org.eclipse.milo.opcua.stack.core.NodeIds;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;

/** The OPC UA integer type a PLC keeps its quantity in; PLCs differ (an INT is Int16 on many). */
public enum QuantityType {
  SBYTE(NodeIds.SByte, q -> new Variant((byte) q)),
  BYTE(NodeIds.Byte, q -> new Variant(ubyte(q))),
  INT16(NodeIds.Int16, q -> new Variant((short) q)),
  UINT16(NodeIds.UInt16, q -> new Variant(ushort((int) q))),
  INT32(NodeIds.Int32, q -> new Variant((int) q)),
  UINT32(NodeIds.UInt32, q -> new Variant(uint(q))),
  INT64(NodeIds.Int64, q -> new Variant(q)),
  UINT64(NodeIds.UInt64, q -> new Variant(ulong(q)));

  private final NodeId dataType;
  private final LongFunction<Variant> encode;

  QuantityType(NodeId dataType, LongFunction<Variant> encode) {
    this.dataType = dataType;
    this.encode = encode;
  }

  public NodeId dataType() {
    return dataType;
  }

  /** The quantity as this type (narrowing like a PLC would: callers keep it in range). */
  public Variant encode(long quantity) {
    return encode.apply(quantity);
  }
}
