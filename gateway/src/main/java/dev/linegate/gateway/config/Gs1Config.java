package dev.linegate.gateway.config;

import java.util.Optional;

/**
 * {@code gs1} (SPEC section 10): the company prefix and extension digit of the gateway's SSCCs, and
 * the location (an SGLN URI) that is the {@code readPoint} and {@code bizLocation} of its EPCIS
 * events.
 */
public record Gs1Config(String companyPrefix, int ssccExtension, Optional<String> location) {}
