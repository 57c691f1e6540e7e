/**
 * A simulated Zebra-like label printer: reads ZPL from a serial port and/or TCP (port 9100 style),
 * decodes the labels it "prints", answers {@code ~HS}, and can be put into paper out, head open,
 * ribbon out or pause, slowed down or powered off, from Java or from an HTTP control port.
 *
 * <p>{@link dev.linegate.simulator.printer.SimulatedPrinter} is the entry point.
 */
@NullMarked
package dev.linegate.simulator.printer;

import org.jspecify.annotations.NullMarked;
