package dev.linegate.gateway.intake;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.linegate.gateway.config.ProductConfig;
import dev.linegate.gateway.outbox.EventType;
import dev.linegate.gateway.outbox.Outbox;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * The ERP events of a new lot (SPEC section 5; README "The ERP side"). A lot of up to {@link #PART}
 * units is one {@code lot.completed} event with all its serials. A larger lot's {@code
 * lot.completed} carries the first {@link #PART} serials with {@code serialCount} and {@code
 * parts}; the others follow, in the order they were issued, as {@code lot.serials} events of at
 * most {@link #PART} serials, parts 2 to {@code parts}. All have the lot as subject, so the outbox
 * delivers them in order behind {@code lot.completed}; no event (an HTTP body, a Kafka record)
 * grows with the lot, and no more than one part is ever held in memory.
 */
final class LotEvents {

  /**
   * 10,000 serials of at most 20 characters: under 250 KB of JSON, well inside Kafka's 1 MB record
   * default.
   */
  static final int PART = 10_000;

  /** What every event of the lot says about it. */
  record Lot(
      long id,
      String lot,
      String batchId,
      String line,
      ProductConfig product,
      int quantity,
      LocalDate productionDate,
      LocalDate expiryDate) {

    int parts() {
      return (quantity + PART - 1) / PART;
    }
  }

  private final Outbox outbox;
  private final ObjectMapper json;

  LotEvents(Outbox outbox, ObjectMapper json) {
    this.outbox = outbox;
    this.json = json;
  }

  /**
   * Appends the lot's events inside the writer's transaction, after its serials are inserted.
   *
   * @param firstPart the first {@code min(quantity, PART)} serials, as they were issued; the others
   *     are read back from the store a part at a time
   */
  void append(Connection tx, Lot lot, List<String> firstPart, Instant time) throws SQLException {
    outbox.append(
        tx, EventType.LOT_COMPLETED, lot.line(), lot.lot(), time, completed(lot, firstPart));
    if (lot.parts() == 1) {
      return;
    }
    // The serials' row ids follow the order of issue: one transaction wrote them.
    try (PreparedStatement select =
        tx.prepareStatement(
            "SELECT serial FROM serials WHERE lot_id = ? ORDER BY id LIMIT -1 OFFSET ?")) {
      select.setLong(1, lot.id());
      select.setInt(2, PART);
      try (ResultSet rows = select.executeQuery()) {
        for (int part = 2; part <= lot.parts(); part++) {
          outbox.append(
              tx, EventType.LOT_SERIALS, lot.line(), lot.lot(), time, serials(lot, part, rows));
        }
      }
    }
  }

  private String completed(Lot lot, List<String> firstPart) throws SQLException {
    return write(
        firstPart.size(),
        out -> {
          out.writeStringField("lot", lot.lot());
          out.writeStringField("batchId", lot.batchId());
          out.writeStringField("line", lot.line());
          out.writeStringField("product", lot.product().code());
          out.writeStringField("gtin", lot.product().gtin());
          out.writeNumberField("quantity", lot.quantity());
          out.writeStringField("productionDate", lot.productionDate().toString());
          out.writeStringField("expiryDate", lot.expiryDate().toString());
          if (lot.parts() > 1) {
            out.writeNumberField("serialCount", lot.quantity());
            out.writeNumberField("parts", lot.parts());
          }
          out.writeArrayFieldStart("serials");
          for (String serial : firstPart) {
            out.writeString(serial);
          }
          out.writeEndArray();
        });
  }

  /** The next part's serials from {@code rows}. */
  private String serials(Lot lot, int part, ResultSet rows) throws SQLException {
    int count = Math.min(PART, lot.quantity() - (part - 1) * PART);
    return write(
        count,
        out -> {
          out.writeStringField("lot", lot.lot());
          out.writeStringField("batchId", lot.batchId());
          out.writeStringField("line", lot.line());
          out.writeStringField("gtin", lot.product().gtin());
          // The EPCIS output commissions each part's serials with the lot's expiry.
          out.writeStringField("expiryDate", lot.expiryDate().toString());
          out.writeNumberField("part", part);
          out.writeNumberField("parts", lot.parts());
          out.writeArrayFieldStart("serials");
          for (int i = 0; i < count; i++) {
            if (!rows.next()) {
              throw new SQLException(
                  "lot " + lot.lot() + " has fewer serials than its quantity " + lot.quantity());
            }
            out.writeString(rows.getString(1));
          }
          out.writeEndArray();
        });
  }

  private interface Fields {
    void write(JsonGenerator out) throws IOException, SQLException;
  }

  /** A JSON object of a few fields and {@code serials} serials (of at most 20 characters). */
  private String write(int serials, Fields fields) throws SQLException {
    StringWriter data = new StringWriter(300 + serials * 23);
    try (JsonGenerator out = json.getFactory().createGenerator(data)) {
      out.writeStartObject();
      fields.write(out);
      out.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("writing to a string cannot fail", e);
    }
    return data.toString();
  }
}
