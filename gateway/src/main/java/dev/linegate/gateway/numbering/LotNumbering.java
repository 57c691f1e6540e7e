package dev.linegate.gateway.numbering;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** Draws the next lot number of a pattern inside the writer's transaction. */
public final class LotNumbering {

  /** The least a lot counter's reservation is raised by: the record is rewritten rarely. */
  private static final long STEP = 100;

  private LotNumbering() {}

  /**
   * The next number for the rendered pattern that no lot has yet. A number some other pattern
   * already produced is passed over rather than reused; a counter past its digits is a reject,
   * never a truncated or recycled number.
   */
  public static String next(Connection tx, Counters counters, LotPattern.Rendered rendered)
      throws SQLException, NumberingException {
    String counter = "lot:" + rendered.counterKey();
    long value = counters.current(tx, counter);
    try (PreparedStatement taken = tx.prepareStatement("SELECT 1 FROM lots WHERE lot = ?")) {
      while (true) {
        value++;
        if (value > rendered.maxCounter()) {
          throw new NumberingException(
              "lot counter exhausted: "
                  + rendered.counterKey()
                  + " has used all "
                  + rendered.maxCounter()
                  + " numbers");
        }
        String lot = rendered.lot(value);
        taken.setString(1, lot);
        try (ResultSet row = taken.executeQuery()) {
          if (!row.next()) {
            counters.set(tx, counter, value, Counters.step(STEP, rendered.maxCounter()));
            return lot;
          }
        }
      }
    }
  }
}
