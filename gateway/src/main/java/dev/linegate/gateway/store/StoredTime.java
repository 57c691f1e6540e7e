package dev.linegate.gateway.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

/**
 * The two forms in which the database keeps an instant, and the one place where each is written and
 * read. Which table uses which grew with the schema:
 *
 * <ul>
 *   <li>{@link #EPOCH_MILLIS} (INTEGER): {@code outbox.created_at}, {@code next_attempt_at}, {@code
 *       delivered_at}; {@code print_jobs.created_at}, {@code finished_at}; {@code
 *       uncertain_labels.since}, {@code settled_at}; {@code lot_status_changes.at}; {@code
 *       scans.at}.
 *   <li>{@link #ISO_TEXT} (TEXT, {@link Instant#toString()}, UTC): {@code lots.completed_at},
 *       {@code committed_at}; {@code rejects.received_at}.
 * </ul>
 *
 * ({@code lots.production_date} and {@code expiry_date} are dates, not instants: ISO text {@code
 * yyyy-mm-dd}.) The stored data is not converted to one form: that changes every existing database
 * and needs a schema version and a backup story of its own. Until then a column keeps its form and
 * code names the form here instead of converting by hand.
 */
public enum StoredTime {
  EPOCH_MILLIS {
    @Override
    public void set(PreparedStatement statement, int index, Instant time) throws SQLException {
      statement.setLong(index, time.toEpochMilli());
    }

    @Override
    public Optional<Instant> find(ResultSet row, String column) throws SQLException {
      long millis = row.getLong(column);
      return row.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(millis));
    }
  },
  ISO_TEXT {
    @Override
    public void set(PreparedStatement statement, int index, Instant time) throws SQLException {
      statement.setString(index, time.toString());
    }

    @Override
    public Optional<Instant> find(ResultSet row, String column) throws SQLException {
      return Optional.ofNullable(row.getString(column)).map(Instant::parse);
    }
  };

  /** Binds {@code time} in this form. */
  public abstract void set(PreparedStatement statement, int index, Instant time)
      throws SQLException;

  /** The column's instant, empty when it is NULL. */
  public abstract Optional<Instant> find(ResultSet row, String column) throws SQLException;

  /** The instant of a column that is never NULL (or must not be, where it is read). */
  public Instant get(ResultSet row, String column) throws SQLException {
    return find(row, column).orElseThrow(() -> new SQLException("column " + column + " is NULL"));
  }
}
