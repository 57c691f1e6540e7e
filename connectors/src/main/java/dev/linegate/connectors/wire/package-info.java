/**
 * Byte streams to devices, shared by printers and scanners: a {@link
 * dev.linegate.connectors.wire.Wire} over a serial port or raw TCP, opened by {@link
 * dev.linegate.connectors.wire.Wires}.
 */
@NullMarked
package dev.linegate.connectors.wire;

import org.jspecify.annotations.NullMarked;
