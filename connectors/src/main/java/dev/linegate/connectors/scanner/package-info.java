/**
 * Barcode scanners at operator stations, on a serial port (or raw TCP through a serial device
 * server).
 *
 * <p>{@link dev.linegate.connectors.scanner.ScannerSource} owns the port of one scanner, configured
 * by a {@link dev.linegate.connectors.scanner.ScannerSourceConfig}, on its own thread, and hands
 * each {@link dev.linegate.connectors.scanner.Scan} to a listener, as received: GS1 parsing is the
 * gateway's business.
 */
@NullMarked
package dev.linegate.connectors.scanner;

import org.jspecify.annotations.NullMarked;
