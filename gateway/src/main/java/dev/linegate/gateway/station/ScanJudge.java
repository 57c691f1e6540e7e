package dev.linegate.gateway.station;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

/**
 * Decides what a scan at one kind of station means, inside the writer's transaction, and records
 * it: at a line's scanner a label is verified ({@link ScanCheck}), at a packing station a unit or
 * case is packed.
 */
public interface ScanJudge {

  /**
   * @param line the line the station stands at
   * @param problem why the scanner connection already refused the scan (too long, say)
   */
  ScanResult judge(
      Connection tx,
      String scanner,
      Optional<String> line,
      String raw,
      Optional<String> problem,
      Instant at)
      throws SQLException;
}
