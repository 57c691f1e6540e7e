/**
 * Operator scanner stations: every scan is read as GS1 data, checked against what was recorded and
 * printed, and answered green (the serial becomes {@code verified}) or red with a reason.
 *
 * <p>The path of a scan: scanner connector -> {@link dev.linegate.gateway.station.Stations} ->
 * {@link dev.linegate.gateway.station.ScanCheck} (one write: the scan, the serial, the ERP event)
 * -> the live feed of the operator UI.
 */
@NullMarked
package dev.linegate.gateway.station;

import org.jspecify.annotations.NullMarked;
