/**
 * A simulated PLC speaking OPC UA (Eclipse Milo's server): the PLC side of the Ready/Ack handshake.
 */
@NullMarked
package dev.linegate.simulator.opcua;

import org.jspecify.annotations.NullMarked;
