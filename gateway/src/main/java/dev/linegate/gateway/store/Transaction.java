package dev.linegate.gateway.store;

import java.sql.SQLException;

/**
 * A piece of work run inside the writer's transaction; its result is released after the commit.
 *
 * <p>It may run more than once: when another piece of its group fails, the writer rolls the group
 * back and runs each piece again in a transaction of its own (see {@link StoreWriter}). So a piece
 * must leave nothing behind outside the database that a rolled-back run would make wrong: work it
 * takes from elsewhere (a queue, a buffer) must stay taken for the next run, not be dropped.
 */
@FunctionalInterface
public interface Transaction<T> {

  T run(java.sql.Connection connection) throws SQLException;
}
