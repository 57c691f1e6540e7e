package dev.linegate.gateway.api;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.linegate.gateway.printing.Reprint;
import dev.linegate.gateway.printing.SettledLabel;
import dev.linegate.gateway.printing.UncertainLabel;
import dev.linegate.gateway.station.UnverifiedLabel;
import java.util.Locale;

/**
 * Labels as the API answers them: reprints, uncertain labels and their settling, unverified labels.
 */
final class LabelJson {

  private LabelJson() {}

  static ObjectNode reprint(Reprint reprint) {
    ObjectNode json = JsonNodeFactory.instance.objectNode();
    json.put("job", reprint.job());
    json.put("printer", reprint.printer());
    json.put("serial", reprint.serial());
    json.put("lot", reprint.lot());
    json.put("label", reprint.label().name().toLowerCase(Locale.ROOT));
    json.put("reason", reprint.reason());
    json.put("requestedBy", reprint.requestedBy());
    json.put("requestedAt", reprint.requestedAt().toString());
    return json;
  }

  static ObjectNode uncertain(UncertainLabel label) {
    ObjectNode json = JsonNodeFactory.instance.objectNode();
    json.put("id", label.id());
    json.put("job", label.job());
    json.put("position", label.position());
    json.put("printer", label.printer());
    json.put("lot", label.lot());
    json.put("line", label.line());
    json.put("serial", label.serial().orElse(null));
    json.put("gtin", label.gtin().orElse(null));
    json.put("since", label.since().toString());
    return json;
  }

  static ObjectNode settled(SettledLabel settled) {
    ObjectNode json = JsonNodeFactory.instance.objectNode();
    json.put("id", settled.id());
    json.put("settled", settled.outcome());
    json.put("by", settled.by());
    return json;
  }

  static ObjectNode unverified(UnverifiedLabel label) {
    ObjectNode json = JsonNodeFactory.instance.objectNode();
    json.put("serial", label.serial());
    json.put("gtin", label.gtin());
    json.put("lot", label.lot());
    json.put("printedAt", label.printedAt().toString());
    return json;
  }
}
