/** Virtual serial cables for tests and demos: socat pty pairs that can be unplugged. */
@NullMarked
package dev.linegate.simulator.serial;

import org.jspecify.annotations.NullMarked;
