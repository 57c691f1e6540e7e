package dev.linegate.gateway.numbering;

import dev.linegate.gateway.config.Gs1Config;
import dev.linegate.gateway.gs1.Gtin;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Draws the next SSCC inside the writer's transaction: extension digit, company prefix, a serial
 * reference from the counter of that extension digit and prefix, check digit. Like lot numbers the
 * counter is covered by the high-water record ({@link Counters}), so neither kill -9 nor a restore
 * issues an SSCC twice, and the unique index on containers.sscc is the last guard.
 */
public final class SsccNumbering {

  private static final long STEP = 100;

  private SsccNumbering() {}

  public static String next(Connection tx, Counters counters, Gs1Config gs1)
      throws SQLException, NumberingException {
    String prefix = gs1.ssccExtension() + gs1.companyPrefix();
    int referenceDigits = 17 - prefix.length();
    long max = (long) Math.pow(10, referenceDigits) - 1;
    String counter = "sscc:" + prefix;
    long value = counters.current(tx, counter);
    try (PreparedStatement taken = tx.prepareStatement("SELECT 1 FROM containers WHERE sscc = ?")) {
      while (true) {
        value++;
        if (value > max) {
          throw new NumberingException(
              "SSCC counter exhausted: extension digit and company prefix "
                  + prefix
                  + " have used all "
                  + max
                  + " serial references");
        }
        String body = prefix + String.format("%0" + referenceDigits + "d", value);
        String sscc = body + Gtin.checkDigit(body);
        taken.setString(1, sscc);
        try (ResultSet row = taken.executeQuery()) {
          if (!row.next()) {
            counters.set(tx, counter, value, Counters.step(STEP, max));
            return sscc;
          }
        }
      }
    }
  }
}
