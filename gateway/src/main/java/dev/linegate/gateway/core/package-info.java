/**
 * The threads the gateway cannot run without, and what happens when one of them dies: it shows DOWN
 * in /health, and the process ends so that the service manager starts a fresh one.
 */
@NullMarked
package dev.linegate.gateway.core;

import org.jspecify.annotations.NullMarked;
