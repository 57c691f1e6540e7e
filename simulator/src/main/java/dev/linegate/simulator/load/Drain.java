package dev.linegate.simulator.load;

/**
 * How the gateway emptied its ERP backlog once the ERP accepted connections again: the events of
 * every type received since then, and the time from then to the last of them.
 */
public record Drain(double seconds, long events, double eventsPerSecond) {}
