/**
 * GS1 data in one place: check digits, CSET 82, the application identifiers the gateway prints and
 * reads ({@link dev.linegate.gateway.gs1.Gs1Data}), and the parser for what scanners send ({@link
 * dev.linegate.gateway.gs1.Gs1Parser}).
 */
@NullMarked
package dev.linegate.gateway.gs1;

import org.jspecify.annotations.NullMarked;
