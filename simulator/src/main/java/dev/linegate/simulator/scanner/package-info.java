/**
 * A simulated serial barcode scanner, on a serial port or behind a serial device server (TCP):
 * sends codes with CR, LF or CR LF and optional AIM identifiers, reads back what the simulated
 * printer printed (with seeded no-reads and misreads), sends noise; from Java or from an HTTP
 * control port.
 *
 * <p>{@link dev.linegate.simulator.scanner.SimulatedScanner} is the entry point.
 */
@NullMarked
package dev.linegate.simulator.scanner;

import org.jspecify.annotations.NullMarked;
