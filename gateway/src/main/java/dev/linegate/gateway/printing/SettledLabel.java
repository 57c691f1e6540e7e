package dev.linegate.gateway.printing;

/**
 * How an operator settled an uncertain label: {@code outcome} is "printed" or "reprinted as job N".
 */
public record SettledLabel(long id, String outcome, String by) {}
