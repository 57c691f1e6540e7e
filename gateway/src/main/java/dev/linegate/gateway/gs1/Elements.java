package dev.linegate.gateway.gs1;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** Collects what a reader finds, refusing invalid values and repeated AIs with the reason. */
final class Elements {

  private final Map<Gs1Ai, Gs1Element> found = new EnumMap<>(Gs1Ai.class);

  void add(Gs1Ai ai, String value) throws Gs1Exception {
    if (found.containsKey(ai)) {
      throw new Gs1Exception(Gs1Data.duplicate(ai));
    }
    String problem = ai.problemWith(value).orElse(null);
    if (problem != null) {
      throw new Gs1Exception(problem);
    }
    found.put(ai, new Gs1Element(ai, value));
  }

  Gs1Data toData(String scanned) throws Gs1Exception {
    if (found.isEmpty()) {
      throw new Gs1Exception("no GS1 data: " + Printable.quote(scanned));
    }
    return new Gs1Data(List.copyOf(found.values()));
  }
}
