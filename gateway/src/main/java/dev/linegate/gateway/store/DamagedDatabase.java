package dev.linegate.gateway.store;

import java.nio.file.Path;
import java.util.List;

/** SQLite's own check found the database damaged: what it found, first things first. */
public final class DamagedDatabase extends Exception {

  /** A check can list a hundred problems; the first few say what is wrong. */
  private static final int SHOWN = 10;

  private final List<String> findings;

  DamagedDatabase(Path file, String check, List<String> findings) {
    super(describe(file, check, findings));
    this.findings = List.copyOf(findings);
  }

  public List<String> findings() {
    return findings;
  }

  private static String describe(Path file, String check, List<String> findings) {
    StringBuilder text = new StringBuilder(file + " is damaged (" + check + "):");
    findings.stream()
        .limit(SHOWN)
        .forEach(finding -> text.append(System.lineSeparator()).append("  ").append(finding));
    if (findings.size() > SHOWN) {
      text.append(System.lineSeparator())
          .append("  ... and ")
          .append(findings.size() - SHOWN)
          .append(" more");
    }
    return text.append(System.lineSeparator())
        .append("To restore the last backup, see README, Operations, Restore.")
        .toString();
  }
}
