package dev.linegate.gateway.auth;

import java.time.Instant;
import java.util.Optional;

/** A user as admins list them; never with the password's hash. */
public record User(
    long id, String name, Role role, Instant createdAt, Optional<Instant> disabledAt) {}
