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
 * The outbox: events are written in the same transaction as the change they describe, as
 * CloudEvents whose id (and so the Idempotency-Key) is fixed once, here, for every retry to come;
 * one row per output ({@code http}, {@code kafka}), so that each has its own backlog, order and
 * dead letters. The SQL of the {@code outbox} table is here (and what becomes of an attempt in
 * {@link AttemptLog}); {@link OutboxDispatcher} reads the heads and the payloads through it.
 */
public final class Outbox {

  private final ObjectMapper json;
  private final String gatewayId;
  private final List<String> outputs;

  /** {@code outputs}: the names of the configured outputs, each of which gets every event. */
  public Outbox(ObjectMapper json, String gatewayId, List<String> outputs) {
    this.json = json;
    this.gatewayId = gatewayId;
    this.outputs = List.copyOf(outputs);
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
    String payload = event.toString();
    try (PreparedStatement insert =
        tx.prepareStatement(
            "INSERT INTO outbox(event_id, output, type, subject, payload, created_at, next_attempt_at) VALUES(?, ?, ?, ?, ?, ?, ?)")) {
      for (String output : outputs) {
        insert.setString(1, id);
        insert.setString(2, output);
        insert.setString(3, type.cloudEventType());
        insert.setString(4, subject);
        insert.setString(5, payload);
        StoredTime.set(insert, 6, time);
        StoredTime.set(insert, 7, time);
        insert.executeUpdate();
      }
    }
  }

  /**
   * The backlog ({@code pending}) or the dead letters ({@code dead}) of one output, or of all,
   * oldest first.
   */
  public static Page<OutboxEntry> list(
      Connection c, Optional<String> output, String state, int limit, Optional<Long> after)
      throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT id, event_id, output, type, subject, state, attempts, created_at, next_attempt_at, last_error FROM outbox WHERE state = ? AND id > ?"
                + (output.isPresent() ? " AND output = ?" : "")
                + " ORDER BY id LIMIT ?")) {
      int p = 1;
      select.setString(p++, state);
      select.setLong(p++, after.orElse(0L));
      if (output.isPresent()) {
        select.setString(p++, output.get());
      }
      select.setInt(p, limit + 1);
      return Page.read(
          select,
          limit,
          row ->
              new OutboxEntry(
                  row.getLong("id"),
                  row.getString("event_id"),
                  row.getString("output"),
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
      WHERE o.output = ?1 AND o.state = 'pending' AND o.next_attempt_at <= ?2
        AND NOT EXISTS (SELECT 1 FROM outbox p
          WHERE p.output = ?1 AND p.subject = o.subject AND p.id < o.id AND p.state <> 'delivered')
      ORDER BY o.id LIMIT ?3""";

  /**
   * At most {@code limit} events of the output that are the oldest open one of their lot there, due
   * by {@code now}.
   */
  static List<Head> heads(Connection c, String output, long now, int limit) throws SQLException {
    try (PreparedStatement select = c.prepareStatement(HEADS)) {
      select.setString(1, output);
      select.setLong(2, now);
      select.setInt(3, limit);
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

  /** The output event {@code id} is for, if there is such an event. */
  public static Optional<String> outputOf(Connection c, long id) throws SQLException {
    try (PreparedStatement select = c.prepareStatement("SELECT output FROM outbox WHERE id = ?")) {
      select.setLong(1, id);
      try (ResultSet row = select.executeQuery()) {
        return row.next() ? Optional.of(row.getString(1)) : Optional.empty();
      }
    }
  }

  /**
   * Puts dead letter {@code id} of the output back in the queue, due at {@code now}: true if it was
   * one, false if the event is not dead, empty if there is no such event.
   */
  static Optional<Boolean> releaseDead(Connection tx, String output, long id, long now)
      throws SQLException {
    try (PreparedStatement update =
        tx.prepareStatement(
            "UPDATE outbox SET state = 'pending', next_attempt_at = ? WHERE id = ? AND output = ? AND state = 'dead'")) {
      update.setLong(1, now);
      update.setLong(2, id);
      update.setString(3, output);
      if (update.executeUpdate() == 1) {
        return Optional.of(true);
      }
    }
    try (PreparedStatement exists =
        tx.prepareStatement("SELECT 1 FROM outbox WHERE id = ? AND output = ?")) {
      exists.setLong(1, id);
      exists.setString(2, output);
      try (ResultSet row = exists.executeQuery()) {
        return row.next() ? Optional.of(false) : Optional.empty();
      }
    }
  }

  /** The output's backlog, its dead letters, and when the oldest waiting event was made. */
  static OutboxStats stats(Connection c, String output) throws SQLException {
    long count;
    Optional<Long> oldestAt;
    try (PreparedStatement pending =
        c.prepareStatement(
            "SELECT count(*), min(created_at) FROM outbox WHERE output = ? AND state = 'pending'")) {
      pending.setString(1, output);
      try (ResultSet row = pending.executeQuery()) {
        count = row.getLong(1);
        long oldest = row.getLong(2);
        oldestAt = row.wasNull() ? Optional.empty() : Optional.of(oldest);
      }
    }
    try (PreparedStatement dead =
        c.prepareStatement("SELECT count(*) FROM outbox WHERE output = ? AND state = 'dead'")) {
      dead.setString(1, output);
      try (ResultSet row = dead.executeQuery()) {
        return new OutboxStats(count, row.getLong(1), oldestAt);
      }
    }
  }

  /**
   * Outputs that events wait for and that are not configured (any more): their events stay until
   * the output is configured again.
   */
  public static List<String> orphaned(Connection c, List<String> configured) throws SQLException {
    List<String> orphaned = new ArrayList<>();
    try (Statement statement = c.createStatement();
        ResultSet row =
            statement.executeQuery(
                "SELECT DISTINCT output FROM outbox WHERE state <> 'delivered' ORDER BY output")) {
      while (row.next()) {
        if (!configured.contains(row.getString(1))) {
          orphaned.add(row.getString(1));
        }
      }
    }
    return orphaned;
  }
}
