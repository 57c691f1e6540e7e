/**
 * {@code trace-load}: the traceability benchmark. Fills a running gateway with serials over MQTT,
 * times the operator's lookups (a serial, a lot, a page of a lot's serials) and measures how many
 * scans one station has judged per second.
 *
 * <p>{@link dev.linegate.simulator.trace.TraceLoadCommand} is the entry point.
 */
@NullMarked
package dev.linegate.simulator.trace;

import org.jspecify.annotations.NullMarked;
