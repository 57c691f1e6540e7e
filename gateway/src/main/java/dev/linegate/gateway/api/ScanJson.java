package dev.linegate.gateway.api;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.linegate.gateway.station.ScanResult;
import java.util.Locale;

/** A scan as the API lists it and the live feed shows it. */
final class ScanJson {

  private ScanJson() {}

  static ObjectNode of(ScanResult scan) {
    ObjectNode json = JsonNodeFactory.instance.objectNode();
    json.put("id", scan.id());
    json.put("scanner", scan.scanner());
    json.put("line", scan.line().orElse(null));
    json.put("at", scan.at().toString());
    json.put("raw", ScanResult.shown(scan.raw()));
    json.put("verdict", scan.verdict().name().toLowerCase(Locale.ROOT));
    json.put("reason", scan.reason());
    json.put("gtin", scan.gtin().orElse(null));
    json.put("serial", scan.serial().orElse(null));
    json.put("lot", scan.lot().orElse(null));
    return json;
  }
}
