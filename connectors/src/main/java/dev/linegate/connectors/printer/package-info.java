/**
 * Label printers that speak ZPL over a serial port or raw TCP (port 9100).
 *
 * <p>{@link dev.linegate.connectors.printer.PrinterLink} owns the connection to one printer,
 * configured by a {@link dev.linegate.connectors.printer.PrinterLinkConfig}; it sends labels and
 * reads the printer's {@code ~HS} answer into a {@link
 * dev.linegate.connectors.printer.PrinterStatus}. Every failure is a {@link
 * dev.linegate.connectors.printer.PrinterUnavailableException} with its reason.
 */
@NullMarked
package dev.linegate.connectors.printer;

import org.jspecify.annotations.NullMarked;
