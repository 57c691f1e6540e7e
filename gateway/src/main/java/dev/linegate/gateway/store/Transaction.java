package dev.linegate.gateway.store;

import java.sql.SQLException;

/** A piece of work run inside the writer's transaction; its result is released after the commit. */
@FunctionalInterface
public interface Transaction<T> {

  T run(java.sql.Connection connection) throws SQLException;
}
