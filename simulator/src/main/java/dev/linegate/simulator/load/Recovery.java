package dev.linegate.simulator.load;

/**
 * How the gateway recovered from an ERP outage in the middle of publishing: how long the ERP
 * refused connections; {@code backlog}, the batches published before it accepted them again whose
 * {@code lot.completed} it did not have yet; the seconds from its return to the first event of any
 * type, and to the last of the backlog ({@code null} when none arrived, or not all of the backlog).
 */
public record Recovery(
    double outageSeconds, long backlog, Double toFirstDelivery, Double toDrained) {}
