package dev.linegate.gateway.packing;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.linegate.gateway.config.PackagingConfig;
import dev.linegate.gateway.config.ProductConfig;
import dev.linegate.gateway.config.StationConfig;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the API shows of packaging: a station's open case and pallet, a case or pallet with its
 * parent, children and history, and where a unit is packed.
 */
public final class PackingViews {

  private PackingViews() {}

  static ObjectNode child(Containers.Child child) {
    ObjectNode json = JsonNodeFactory.instance.objectNode();
    if (child.isUnit()) {
      json.put("gtin", child.gtin());
      json.put("serial", child.serial());
      json.put("lot", child.lot());
    } else {
      json.put("sscc", child.sscc());
      json.put("units", child.units());
    }
    return json;
  }

  /** {@code GET /api/stations/{id}}: the open case and pallet; {@code products} for their sizes. */
  public static ObjectNode station(
      Connection c, StationConfig station, Map<String, ProductConfig> products)
      throws SQLException {
    ObjectNode json = JsonNodeFactory.instance.objectNode();
    json.put("id", station.id());
    json.put("line", station.line());
    json.put("scanner", station.scanner());
    json.put("role", "packing");
    for (Level level : Level.values()) {
      List<Containers.Child> children = Containers.open(c, station.id(), level);
      ObjectNode open = json.putObject(level == Level.CASE ? "openCase" : "openPallet");
      open.put("count", children.size());
      if (children.isEmpty()) {
        open.putNull("product");
        open.putNull("of");
      } else {
        String product = children.get(0).product();
        open.put("product", product);
        Optional<PackagingConfig.Level> size =
            Optional.ofNullable(products.get(product))
                .flatMap(ProductConfig::packaging)
                .flatMap(p -> level == Level.CASE ? Optional.of(p.inCase()) : p.onPallet());
        if (size.isPresent()) {
          open.put("of", size.get().count());
        } else {
          open.putNull("of");
        }
      }
      ArrayNode list = open.putArray("children");
      children.forEach(child -> list.add(child(child)));
    }
    return json;
  }

  /** {@code GET /api/cases/{sscc}}, for a case or a pallet. */
  public static Optional<ObjectNode> container(Connection c, String sscc) throws SQLException {
    Optional<Containers.Ref> found = Containers.bySscc(c, sscc);
    if (found.isEmpty()) {
      return Optional.empty();
    }
    Containers.Ref container = found.get();
    ObjectNode json = JsonNodeFactory.instance.objectNode();
    json.put("sscc", container.sscc());
    json.put("level", container.level().column());
    json.put("status", container.unpackedAt().isPresent() ? "unpacked" : "packed");
    json.put("station", container.station());
    json.put("line", container.line());
    json.put("product", container.product());
    json.put("units", container.units());
    Optional<String> parent =
        Containers.parentOf(c, "case_id", container.id()).map(Containers.Ref::sscc);
    if (parent.isPresent()) {
      json.put("parent", parent.get());
    } else {
      json.putNull("parent");
    }
    ArrayNode lots = json.putArray("lots");
    Containers.lots(c, container)
        .forEach(lot -> lots.addObject().put("lot", lot.lot()).put("units", lot.units()));
    ArrayNode children = json.putArray("children");
    Containers.contents(c, container, false).forEach(child -> children.add(child(child)));
    Containers.Packed packed = Containers.packed(c, container.id());
    ArrayNode history = json.putArray("history");
    history
        .addObject()
        .put("at", packed.at().toString())
        .put("what", "packed")
        .put("by", packed.by());
    if (container.unpackedAt().isPresent()) {
      ObjectNode unpacked =
          history
              .addObject()
              .put("at", container.unpackedAt().get().toString())
              .put("what", "unpacked")
              .put("by", packed.unpackedBy().orElse(null))
              .put("reason", packed.reason().orElse(null));
      ArrayNode freed = unpacked.putArray("children");
      Containers.contents(c, container, true).forEach(child -> freed.add(child(child)));
    }
    return Optional.of(json);
  }

  /**
   * The cases that hold units of a lot now, for its page: each with its pallet and how many of the
   * lot's units it holds.
   */
  public static void casesOfLot(Connection c, String lot, ObjectNode json) throws SQLException {
    ArrayNode cases = json.putArray("cases");
    try (PreparedStatement select =
        c.prepareStatement(
            """
            SELECT k.sscc, count(*), k.units, (SELECT p.sscc FROM container_contents x
                JOIN containers p ON p.id = x.container_id
                WHERE x.case_id = k.id AND x.removed_at IS NULL)
            FROM lots l JOIN serials s ON s.lot_id = l.id
              JOIN container_contents u ON u.serial_id = s.id AND u.removed_at IS NULL
              JOIN containers k ON k.id = u.container_id
            WHERE l.lot = ? GROUP BY k.id ORDER BY k.id""")) {
      select.setString(1, lot);
      try (ResultSet row = select.executeQuery()) {
        while (row.next()) {
          cases
              .addObject()
              .put("sscc", row.getString(1))
              .put("unitsOfLot", row.getInt(2))
              .put("units", row.getInt(3))
              .put("pallet", row.getString(4));
        }
      }
    }
  }

  /** The case and pallet a unit is packed in now, for its serial's page. */
  public static void placement(Connection c, long serialId, ObjectNode json) throws SQLException {
    Optional<Containers.Ref> inCase = Containers.parentOf(c, "serial_id", serialId);
    Optional<Containers.Ref> onPallet =
        inCase.isEmpty() ? Optional.empty() : Containers.parentOf(c, "case_id", inCase.get().id());
    json.put("case", inCase.map(Containers.Ref::sscc).orElse(null));
    json.put("pallet", onPallet.map(Containers.Ref::sscc).orElse(null));
    if (inCase.isEmpty()) {
      Containers.openAt(c, "serial_id", serialId)
          .ifPresent(station -> json.put("openCaseAt", station));
    }
  }
}
