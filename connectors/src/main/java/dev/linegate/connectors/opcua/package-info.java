/**
 * OPC UA batch sources: the Ready/Ack handshake of SPEC section 3 over Eclipse Milo's client.
 *
 * <p>{@link dev.linegate.connectors.opcua.OpcUaConnections} makes one {@link
 * dev.linegate.connectors.opcua.OpcUaBatchSource} per line from an {@link
 * dev.linegate.connectors.opcua.OpcUaSourceConfig}; lines on the same endpoint share one session.
 */
@NullMarked
package dev.linegate.connectors.opcua;

import org.jspecify.annotations.NullMarked;
