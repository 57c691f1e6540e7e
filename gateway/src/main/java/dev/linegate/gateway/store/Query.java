package dev.linegate.gateway.store;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * A read on one of a {@link ReadPool}'s connections (read-only, {@code query_only}): it sees one
 * consistent snapshot of the database and changes nothing. Writes are {@link Transaction}s, run by
 * the {@link StoreWriter}.
 */
@FunctionalInterface
public interface Query<T> {

  T run(Connection connection) throws SQLException;
}
