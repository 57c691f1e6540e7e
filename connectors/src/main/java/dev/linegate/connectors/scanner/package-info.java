/** Stub, to be replaced by the scanner-wire branch. */
@NullMarked
package dev.linegate.connectors.scanner;

import org.jspecify.annotations.NullMarked;
