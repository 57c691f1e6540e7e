package dev.linegate.gateway.outbox;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.linegate.gateway.store.Page;
import dev.linegate.gateway.store.StoredTime;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The ERP outbox: events are written in the same transaction as the change they describe, as
 * CloudEvents whose id (and so the Idempotency-Key) is fixed once, here, for every retry to come.
 * The SQL of the {@code outbox} table is here (and what becomes of an attempt in {@link
 * AttemptLog}); {@link OutboxDispatcher} reads the heads and the payloads through it.
 */
public final class Outbox {

  private final ObjectMapper json;
  private final String gatewayId;

  public Outbox(ObjectMapper json, String gatewayId) {
    this.json = json;
    this.gatewayId = gatewayId;
  }

  /**
   * @param subject what the event is about; events with the same subject (a lot) reach the ERP in
   *     the order they were appended
   * @param data the event's data, a JSON object already written (a lot's can hold a million
   *     serials)
   */
  public void append(
      Connection tx, EventType type, String line, String subject, Instant time, String data)
      throws SQLException {
    String id = UUID.randomUUID().toString();
    StringWriter event = new StringWriter(data.length() + 400);
    try (JsonGenerator out = json.getFactory().createGenerator(event)) {
      out.writeStartObject();
      out.writeStringField("specversion", "1.0");
      out.writeStringField("id", id);
      out.writeStringField("source", "linegate/" + gatewayId + "/" + line);
      out.writeStringField("type", type.cloudEventType());
      out.writeStringField("subject", subject);
      out.writeStringField("time", time.toString());
      out.writeStringField("datacontenttype", "application/json");
      out.writeFieldName("data");
      out.writeRawValue(data);
      out.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("writing to a string cannot fail", e);
    }
    try (PreparedStatement insert =
        tx.prepareStatement(
            "INSERT INTO outbox(event_id, type, subject, payload, created_at, next_attempt_at) VALUES(?, ?, ?, ?, ?, ?)")) {
      insert.setString(1, id);
      insert.setString(2, type.cloudEventType());
      insert.setString(3, subject);
      insert.setString(4, event.toString());
      StoredTime.set(insert, 5, time);
      StoredTime.set(insert, 6, time);
      insert.executeUpdate();
    }
  }

  /** The backlog ({@code pending}) or the dead letters ({@code dead}), oldest first. */
  public static Page<OutboxEntry> list(Connection c, String state, int limit, Optional<Long> after)
      throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT id, event_id, type, subject, state, attempts, created_at, next_attempt_at, last_error FROM outbox WHERE state = ? AND id > ? ORDER BY id LIMIT ?")) {
      select.setString(1, state);
      select.setLong(2, after.orElse(0L));
      select.setInt(3, limit + 1);
      return Page.read(
          select,
          limit,
          row ->
              new OutboxEntry(
                  row.getLong("id"),
                  row.getString("event_id"),
                  row.getString("type"),
                  row.getString("subject"),
                  row.getString("state"),
                  row.getInt("attempts"),
                  StoredTime.get(row, "created_at"),
                  StoredTime.get(row, "next_attempt_at"),
                  Optional.ofNullable(row.getString("last_error"))));
    }
  }

  /**
   * Delivered events are kept a while for inspection, then go, so the file does not grow for ever.
   */
  public static int purgeDelivered(Connection tx, Instant cutoff) throws SQLException {
    try (PreparedStatement delete =
        tx.prepareStatement("DELETE FROM outbox WHERE state = 'delivered' AND delivered_at < ?")) {
      StoredTime.set(delete, 1, cutoff);
      return delete.executeUpdate();
    }
  }

  /** An event that is the oldest open one of its lot. */
  record Head(long id, String eventId, String type, String subject, int attempts) {}

  private static final String HEADS =
      """
      SELECT o.id, o.event_id, o.type, o.subject, o.attempts FROM outbox o
      WHERE o.state = 'pending' AND o.next_attempt_at <= ?
        AND NOT EXISTS (SELECT 1 FROM outbox p WHERE p.subject = o.subject AND p.id < o.id AND p.state <> 'delivered')
      ORDER BY o.id LIMIT ?""";

  /** At most {@code limit} events that are the oldest open one of their lot, due by {@code now}. */
  static List<Head> heads(Connection c, long now, int limit) throws SQLException {
    try (PreparedStatement select = c.prepareStatement(HEADS)) {
      select.setLong(1, now);
      select.setInt(2, limit);
      List<Head> found = new ArrayList<>();
      try (ResultSet row = select.executeQuery()) {
        while (row.next()) {
          found.add(
              new Head(
                  row.getLong(1),
                  row.getString(2),
                  row.getString(3),
                  row.getString(4),
                  row.getInt(5)));
        }
      }
      return found;
    }
  }

  /** The event as it is sent, read only when it is (a lot's can be megabytes). */
  static String payload(Connection c, long id) throws SQLException {
    try (PreparedStatement select = c.prepareStatement("SELECT payload FROM outbox WHERE id = ?")) {
      select.setLong(1, id);
      try (ResultSet row = select.executeQuery()) {
        row.next();
        return row.getString(1);
      }
    }
  }

  /**
   * Puts dead letter {@code id} back in the queue, due at {@code now}: true if it was one, false if
   * the event is not dead, empty if there is no such event.
   */
  static Optional<Boolean> releaseDead(Connection tx, long id, long now) throws SQLException {
    try (PreparedStatement update =
        tx.prepareStatement(
            "UPDATE outbox SET state = 'pending', next_attempt_at = ? WHERE id = ? AND state = 'dead'")) {
      update.setLong(1, now);
      update.setLong(2, id);
      if (update.executeUpdate() == 1) {
        return Optional.of(true);
      }
    }
    try (PreparedStatement exists = tx.prepareStatement("SELECT 1 FROM outbox WHERE id = ?")) {
      exists.setLong(1, id);
      try (ResultSet row = exists.executeQuery()) {
        return row.next() ? Optional.of(false) : Optional.empty();
      }
    }
  }

  /** The backlog, the dead letters, and when the oldest waiting event was made. */
  static OutboxStats stats(Connection c) throws SQLException {
    try (Statement statement = c.createStatement()) {
      long count;
      Optional<Long> oldestAt;
      try (ResultSet pending =
          statement.executeQuery(
              "SELECT count(*), min(created_at) FROM outbox WHERE state = 'pending'")) {
        count = pending.getLong(1);
        long oldest = pending.getLong(2);
        oldestAt = pending.wasNull() ? Optional.empty() : Optional.of(oldest);
      }
      try (ResultSet dead =
          statement.executeQuery("SELECT count(*) FROM outbox WHERE state = 'dead'")) {
        return new OutboxStats(count, dead.getLong(1), oldestAt);
      }
    }
  }
}
