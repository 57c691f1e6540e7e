/**
 * Virtual serial cables for tests and demos (socat pty pairs that can be unplugged), and the device
 * end of a serial line that opens again after a replug ({@link
 * dev.linegate.simulator.serial.ReopeningPort}), shared by the simulated printer and scanner.
 */
@NullMarked
package dev.linegate.simulator.serial;

import org.jspecify.annotations.NullMarked;
