package dev.linegate.gateway.intake;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.linegate.gateway.config.LineConfig;
import dev.linegate.gateway.config.ProductConfig;
import dev.linegate.gateway.numbering.Counters;
import dev.linegate.gateway.numbering.LotNumbering;
import dev.linegate.gateway.numbering.LotPattern;
import dev.linegate.gateway.numbering.NumberingException;
import dev.linegate.gateway.numbering.SerialAllocator;
import dev.linegate.gateway.outbox.Outbox;
import dev.linegate.gateway.pools.PoolStore;
import dev.linegate.gateway.printing.PrintQueue;
import dev.linegate.gateway.store.StoredTime;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Writes one batch inside the writer's transaction: the lot, its serials, its ERP event and its
 * print job together, or nothing. A batch already recorded for the line is answered with its lot.
 */
final class LotRecorder {

  private final String gatewayId;
  private final Map<String, ProductConfig> products;
  private final Counters counters;
  private final SerialAllocator serials;
  private final LotEvents events;

  LotRecorder(
      String gatewayId,
      Map<String, ProductConfig> products,
      Counters counters,
      Outbox outbox,
      ObjectMapper json) {
    this.gatewayId = gatewayId;
    this.products = products;
    this.counters = counters;
    this.serials = new SerialAllocator(counters);
    this.events = new LotEvents(outbox, json);
  }

  IntakeOutcome record(
      Connection tx, LineConfig line, BatchRequest batch, String origin, byte[] raw)
      throws SQLException {
    Optional<IntakeOutcome> known = known(tx, line.id(), batch);
    if (known.isPresent()) {
      return known.get();
    }
    ProductConfig product = products.get(batch.product());
    if (product.serials().pool().isPresent()) {
      int available = PoolStore.unassignedUpTo(tx, product.gtin(), batch.quantity());
      if (available < batch.quantity()) {
        return new IntakeOutcome.WaitingForSerials(product.gtin(), batch.quantity(), available);
      }
    }
    LocalDate productionDate = batch.productionDate();
    LocalDate expiryDate = batch.expiryDate();
    try (Statement savepoint = tx.createStatement()) {
      // A batch that cannot be numbered must leave no half-written lot behind.
      savepoint.execute("SAVEPOINT numbering");
      try {
        return numberAndWrite(tx, line, batch, product, productionDate, expiryDate, origin, raw);
      } catch (NumberingException e) {
        savepoint.execute("ROLLBACK TO numbering");
        return new IntakeOutcome.Rejected(e.getMessage());
      } finally {
        savepoint.execute("RELEASE numbering");
      }
    }
  }

  private IntakeOutcome.NewLot numberAndWrite(
      Connection tx,
      LineConfig line,
      BatchRequest batch,
      ProductConfig product,
      LocalDate productionDate,
      LocalDate expiryDate,
      String origin,
      byte[] raw)
      throws SQLException, NumberingException {
    String lot =
        LotNumbering.next(
            tx,
            counters,
            line.lotPattern()
                .render(
                    new LotPattern.Context(line.id(), product.code(), gatewayId, productionDate)));
    long lotId =
        insertLot(tx, lot, line.id(), batch, product, productionDate, expiryDate, origin, raw);
    // Only the first part is held; the events read the others back from the store a part at a time.
    List<String> firstPart = new ArrayList<>(Math.min(batch.quantity(), LotEvents.PART));
    serials.allocate(
        tx,
        product,
        lotId,
        batch.quantity(),
        serial -> {
          if (firstPart.size() < LotEvents.PART) {
            firstPart.add(serial);
          }
        });
    // Stamped after the serials, which for a big batch are most of the work, so that the time is
    // close to the commit that follows; in milliseconds, as stored, so that the API shows what the
    // event said.
    Instant committedAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    stampCommitted(tx, lotId, committedAt);
    events.append(
        tx,
        new LotEvents.Lot(
            lotId,
            lot,
            batch.batchId(),
            line.id(),
            product,
            batch.quantity(),
            productionDate,
            expiryDate),
        firstPart,
        committedAt);
    if (line.labels() != LineConfig.Labels.NONE) {
      PrintQueue.enqueueLot(
          tx,
          line.printer().orElseThrow(),
          lotId,
          line.labels() == LineConfig.Labels.UNIT,
          committedAt);
    }
    return new IntakeOutcome.NewLot(lot, batch.batchId(), batch.quantity());
  }

  /** The same (line, batchId) again: its lot if the content matches, a reject if it does not. */
  private static Optional<IntakeOutcome> known(Connection tx, String line, BatchRequest batch)
      throws SQLException {
    try (PreparedStatement select =
        tx.prepareStatement(
            "SELECT lot, product, quantity FROM lots WHERE line = ? AND batch_id = ?")) {
      select.setString(1, line);
      select.setString(2, batch.batchId());
      try (ResultSet row = select.executeQuery()) {
        if (!row.next()) {
          return Optional.empty();
        }
        String lot = row.getString(1);
        if (row.getString(2).equals(batch.product()) && row.getInt(3) == batch.quantity()) {
          return Optional.of(new IntakeOutcome.KnownBatch(lot, batch.batchId()));
        }
        return Optional.of(
            new IntakeOutcome.Rejected(
                "batchId "
                    + batch.batchId()
                    + " already has lot "
                    + lot
                    + " with product "
                    + row.getString(2)
                    + " and quantity "
                    + row.getInt(3)
                    + "; this signal says product "
                    + batch.product()
                    + " and quantity "
                    + batch.quantity()));
      }
    }
  }

  private static void stampCommitted(Connection tx, long lotId, Instant committedAt)
      throws SQLException {
    try (PreparedStatement update =
        tx.prepareStatement("UPDATE lots SET committed_at = ? WHERE id = ?")) {
      StoredTime.set(update, 1, committedAt);
      update.setLong(2, lotId);
      update.executeUpdate();
    }
  }

  private static long insertLot(
      Connection tx,
      String lot,
      String line,
      BatchRequest batch,
      ProductConfig product,
      LocalDate productionDate,
      LocalDate expiryDate,
      String origin,
      byte[] raw)
      throws SQLException {
    try (PreparedStatement insert =
        tx.prepareStatement(
            "INSERT INTO lots(lot, line, batch_id, product, gtin, quantity, production_date, expiry_date, completed_at, committed_at, origin, raw) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?) RETURNING id")) {
      insert.setString(1, lot);
      insert.setString(2, line);
      insert.setString(3, batch.batchId());
      insert.setString(4, product.code());
      insert.setString(5, product.gtin());
      insert.setInt(6, batch.quantity());
      insert.setString(7, productionDate.toString());
      insert.setString(8, expiryDate.toString());
      if (batch.completedAt().isPresent()) {
        StoredTime.set(insert, 9, batch.completedAt().get());
      } else {
        insert.setNull(9, Types.INTEGER);
      }
      insert.setString(10, origin);
      insert.setString(11, new String(raw, StandardCharsets.UTF_8));
      try (ResultSet id = insert.executeQuery()) {
        id.next();
        return id.getLong(1);
      }
    }
  }
}
