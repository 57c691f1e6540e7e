package dev.linegate.gateway.station;

import dev.linegate.gateway.auth.Actor;
import dev.linegate.gateway.gs1.Gs1Data;
import dev.linegate.gateway.gs1.Gs1Exception;
import dev.linegate.gateway.gs1.Gs1Parser;
import dev.linegate.gateway.lots.SerialChanges;
import dev.linegate.gateway.lots.SerialFate;
import dev.linegate.gateway.lots.SerialStatusChange;
import dev.linegate.gateway.station.ScanResult.Verdict;
import dev.linegate.gateway.store.Refused;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Scrap mode at a station (SPEC section 9): an operator switches a station's scanner to it, with a
 * reason, and every unit label scanned there until it is switched back is scrapped, by that
 * operator and for that reason, as {@code POST /api/serials/{serial}/scrap} would. It is not kept
 * over a restart: a station comes back verifying or packing, never destroying serials unasked.
 */
public final class ScrapMode implements ScanJudge {

  /** Who switched a scanner to scrap mode, why, and since when. */
  public record Mode(Actor by, String reason, Instant since) {}

  private final Map<String, Mode> byScanner = new ConcurrentHashMap<>();
  private final SerialChanges changes;

  public ScrapMode(SerialChanges changes) {
    this.changes = changes;
  }

  public void start(String scanner, Actor by, String reason) {
    byScanner.put(scanner, new Mode(by, reason, Instant.now()));
  }

  public void stop(String scanner) {
    byScanner.remove(scanner);
  }

  public Optional<Mode> of(String scanner) {
    return Optional.ofNullable(byScanner.get(scanner));
  }

  @Override
  public ScanResult judge(
      Connection tx,
      String scanner,
      Optional<String> line,
      String raw,
      Optional<String> problem,
      Instant at)
      throws SQLException {
    Mode mode = byScanner.get(scanner);
    if (problem.isPresent()) {
      return ScanCheck.reject(tx, scanner, line, raw, problem.get(), at);
    }
    Gs1Data data;
    try {
      data = Gs1Parser.parse(raw).data();
    } catch (Gs1Exception e) {
      return ScanCheck.reject(tx, scanner, line, raw, e.reason(), at);
    }
    Verdict verdict;
    String reason;
    Optional<String> lot = data.lot();
    if (mode == null) {
      verdict = Verdict.REFUSED;
      reason = "scrap mode ended before this scan was judged: scan it again";
    } else if (data.serial().isEmpty()) {
      verdict = Verdict.REFUSED;
      reason = "scrap mode: only a unit label (with a serial) can be scrapped";
    } else {
      try {
        SerialStatusChange change =
            changes.change(
                tx,
                data.serial().get(),
                data.gtin(),
                SerialFate.SCRAP,
                mode.reason(),
                mode.by(),
                at);
        verdict = Verdict.OK;
        lot = Optional.of(change.lot());
        reason =
            "scrapped: "
                + mode.reason()
                + change
                    .replacement()
                    .map(s -> "; replacement label queued, serial " + s)
                    .orElse("");
      } catch (Refused refused) {
        verdict = Verdict.REFUSED;
        reason = "not scrapped: " + refused.detail();
      }
    }
    return ScanCheck.record(
        tx,
        new ScanResult(
            0, scanner, line, at, raw, verdict, reason, data.gtin(), data.serial(), lot));
  }
}
