/** Serial ports through jSerialComm: the settings printers and scanners share. */
@NullMarked
package dev.linegate.connectors.serial;

import org.jspecify.annotations.NullMarked;
