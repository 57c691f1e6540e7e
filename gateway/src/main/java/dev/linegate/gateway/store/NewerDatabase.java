package dev.linegate.gateway.store;

import java.sql.SQLException;

/**
 * The database was written by a newer Linegate: its schema has steps this one does not know, so it
 * is not touched. An SQLException, since it is found where the schema is read.
 */
public final class NewerDatabase extends SQLException {

  NewerDatabase(int found, int known) {
    super(
        "the database has schema version "
            + found
            + ", newer than this Linegate knows ("
            + known
            + "): refusing to touch it");
  }
}
