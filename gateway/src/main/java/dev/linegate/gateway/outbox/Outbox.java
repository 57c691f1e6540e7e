package dev.linegate.gateway.outbox;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.linegate.gateway.store.Page;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * The ERP outbox: events are written in the same transaction as the change they describe, as
 * CloudEvents whose id (and so the Idempotency-Key) is fixed once, here, for every retry to come.
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
      insert.setLong(5, time.toEpochMilli());
      insert.setLong(6, time.toEpochMilli());
      insert.executeUpdate();
    }
  }

  /** The backlog ({@code pending}) or the dead letters ({@code dead}), oldest first. */
  public static Page list(Connection c, String state, int limit, Optional<Long> after)
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
          row -> {
            ObjectNode event = JsonNodeFactory.instance.objectNode();
            event.put("id", row.getLong("id"));
            event.put("eventId", row.getString("event_id"));
            event.put("type", row.getString("type"));
            event.put("lot", row.getString("subject"));
            event.put("state", row.getString("state"));
            event.put("attempts", row.getInt("attempts"));
            event.put("createdAt", Instant.ofEpochMilli(row.getLong("created_at")).toString());
            event.put(
                "nextAttemptAt", Instant.ofEpochMilli(row.getLong("next_attempt_at")).toString());
            event.put("lastError", row.getString("last_error"));
            return event;
          });
    }
  }

  /**
   * Delivered events are kept a while for inspection, then go, so the file does not grow for ever.
   */
  public static int purgeDelivered(Connection tx, Instant cutoff) throws SQLException {
    try (PreparedStatement delete =
        tx.prepareStatement("DELETE FROM outbox WHERE state = 'delivered' AND delivered_at < ?")) {
      delete.setLong(1, cutoff.toEpochMilli());
      return delete.executeUpdate();
    }
  }
}
