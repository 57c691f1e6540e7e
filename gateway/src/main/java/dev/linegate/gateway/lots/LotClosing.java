package dev.linegate.gateway.lots;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.linegate.gateway.auth.Actor;
import dev.linegate.gateway.auth.AuditTrail;
import dev.linegate.gateway.config.LineConfig;
import dev.linegate.gateway.outbox.EventType;
import dev.linegate.gateway.outbox.Outbox;
import dev.linegate.gateway.store.Refused;
import dev.linegate.gateway.store.Refused.Kind;
import dev.linegate.gateway.store.StoreWriter;
import dev.linegate.gateway.store.StoredTime;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A lot's reconciliation and its close (SPEC section 9). Closing checks the counts and records them
 * in the same write, so that no label settles between the check and the close.
 */
public final class LotClosing {

  private final Map<String, LineConfig> lines;
  private final StoreWriter writer;
  private final Outbox outbox;
  private final Runnable afterNewEvents;

  public LotClosing(
      Map<String, LineConfig> lines, StoreWriter writer, Outbox outbox, Runnable afterNewEvents) {
    this.lines = lines;
    this.writer = writer;
    this.outbox = outbox;
    this.afterNewEvents = afterNewEvents;
  }

  /** What a close came to: closed on its counts, or refused on them. */
  public sealed interface Outcome {
    Reconciliation counts();

    record Closed(Reconciliation counts) implements Outcome {}

    /** Unaccounted serials or uncertain labels, and no signature: nothing was changed. */
    record Unbalanced(Reconciliation counts) implements Outcome {}
  }

  /**
   * The counts of {@code lot}. Unaccounted are the serials whose unit label is not known to be
   * where it belongs: on a line with a scanner those not verified (nor scrapped, sampled or
   * voided); on a line that prints unit labels without a scanner those not printed; on a line that
   * prints no unit labels (lot labels, none) there is no label per serial to account for.
   */
  public Optional<Reconciliation> reconcile(Connection c, String lot) throws SQLException {
    long lotId;
    String line;
    Optional<Instant> closedAt;
    Optional<String> closedBy;
    try (PreparedStatement select =
        c.prepareStatement("SELECT id, line, closed_at, closed_by FROM lots WHERE lot = ?")) {
      select.setString(1, lot);
      try (ResultSet row = select.executeQuery()) {
        if (!row.next()) {
          return Optional.empty();
        }
        lotId = row.getLong(1);
        line = row.getString(2);
        closedAt = StoredTime.find(row, "closed_at");
        closedBy = Optional.ofNullable(row.getString(4));
      }
    }
    Map<String, Long> byStatus = new HashMap<>();
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT status, count(*) FROM serials WHERE lot_id = ? GROUP BY status")) {
      select.setLong(1, lotId);
      try (ResultSet row = select.executeQuery()) {
        while (row.next()) {
          byStatus.put(row.getString(1), row.getLong(2));
        }
      }
    }
    long uncertain;
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT count(*) FROM uncertain_labels u JOIN print_jobs j ON j.id = u.job_id WHERE j.lot_id = ? AND u.settled IS NULL")) {
      select.setLong(1, lotId);
      try (ResultSet row = select.executeQuery()) {
        row.next();
        uncertain = row.getLong(1);
      }
    }
    long assigned = byStatus.getOrDefault("assigned", 0L);
    long printed = byStatus.getOrDefault("printed", 0L);
    LineConfig config = lines.get(line);
    boolean unitLabels = config != null && config.labels() == LineConfig.Labels.UNIT;
    long unaccounted =
        !unitLabels ? 0 : config.scanner().isPresent() ? assigned + printed : assigned;
    return Optional.of(
        new Reconciliation(
            lot,
            line,
            assigned,
            printed,
            byStatus.getOrDefault("verified", 0L),
            byStatus.getOrDefault("rejected", 0L),
            byStatus.getOrDefault("sampled", 0L),
            byStatus.getOrDefault("voided", 0L),
            uncertain,
            unaccounted,
            closedAt,
            closedBy));
  }

  /**
   * Closes {@code lot} on its counts. {@code by} is a signed actor when the counts do not balance:
   * a supervisor answers for what is missing; unsigned, an unbalanced lot is refused with its
   * counts.
   */
  public Outcome close(String lot, Optional<String> reason, Actor by) throws Refused, Exception {
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    Outcome outcome = writer.decide(tx -> close(tx, lot, reason, by, now));
    afterNewEvents.run();
    return outcome;
  }

  private Outcome close(Connection tx, String lot, Optional<String> reason, Actor by, Instant now)
      throws SQLException, Refused {
    Reconciliation counts =
        reconcile(tx, lot)
            .orElseThrow(() -> new Refused(Kind.NOT_FOUND, "lot not found", "no lot " + lot));
    if (counts.closedAt().isPresent()) {
      throw new Refused(
          Kind.CONFLICT,
          "already closed",
          "lot " + lot + " was closed by " + counts.closedBy().orElse("?"));
    }
    if (!counts.balanced() && by.signed().isEmpty()) {
      return new Outcome.Unbalanced(counts);
    }
    Reconciliation closed = counts.closed(now, by.name());
    ObjectNode data = eventData(closed, reason);
    try (PreparedStatement update =
        tx.prepareStatement(
            "UPDATE lots SET closed_at = ?, closed_by = ?, closed_counts = ? WHERE lot = ?")) {
      StoredTime.set(update, 1, now);
      update.setString(2, by.name());
      update.setString(3, data.toString());
      update.setString(4, lot);
      update.executeUpdate();
    }
    AuditTrail.append(tx, by, "lot.close", "lot " + lot, reason, now);
    outbox.append(tx, EventType.LOT_CLOSED, counts.line(), lot, now, data.toString());
    return new Outcome.Closed(closed);
  }

  /** The data of lot.closed: the counts it was closed on, why, by whom, when. */
  private static ObjectNode eventData(Reconciliation counts, Optional<String> reason) {
    ObjectNode data = countsData(counts);
    reason.ifPresent(r -> data.put("reason", r));
    data.put("by", counts.closedBy().orElseThrow());
    data.put("at", counts.closedAt().orElseThrow().toString());
    return data;
  }

  /** The counts' fields, as lot.closed and the API's reconciliation both give them. */
  public static ObjectNode countsData(Reconciliation counts) {
    ObjectNode data = JsonNodeFactory.instance.objectNode();
    data.put("lot", counts.lot());
    data.put("line", counts.line());
    data.put("serials", counts.serials());
    data.put("assigned", counts.assigned());
    data.put("printed", counts.printed());
    data.put("verified", counts.verified());
    data.put("rejected", counts.rejected());
    data.put("sampled", counts.sampled());
    data.put("voided", counts.voided());
    data.put("uncertainLabels", counts.uncertainLabels());
    data.put("unaccounted", counts.unaccounted());
    return data;
  }
}
