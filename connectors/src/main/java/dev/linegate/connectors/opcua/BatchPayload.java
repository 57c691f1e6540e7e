package dev.linegate.connectors.opcua;

import java.lang.reflect.Array;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UByte;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UInteger;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.ULong;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UShort;
import org.jspecify.annotations.Nullable;

/**
 * The SPEC's batch JSON built from the values exactly as the PLC held them, so the gateway judges
 * them as it judges an MQTT message: an integer of any OPC UA type is a JSON number, anything else
 * keeps its own JSON type (a Double stays a number with a fraction, a string a string, an empty
 * value {@code null}). Values with a Bad status are listed under {@code badStatus}.
 */
final class BatchPayload {

  private BatchPayload() {}

  static byte[] json(DataValue batchId, DataValue product, DataValue quantity) {
    var fields = new LinkedHashMap<String, DataValue>();
    fields.put("batchId", batchId);
    fields.put("product", product);
    fields.put("quantity", quantity);
    var json = new StringBuilder("{");
    fields.forEach(
        (name, value) -> {
          if (json.length() > 1) {
            json.append(", ");
          }
          string(json, name);
          json.append(": ");
          value(json, value.value().value());
        });
    var bad = new LinkedHashMap<String, String>();
    fields.forEach(
        (name, value) -> {
          if (value.statusCode() != null && value.statusCode().isBad()) {
            bad.put(name, OpcUaErrors.name(value.statusCode()));
          }
        });
    if (!bad.isEmpty()) {
      json.append(", \"badStatus\": {");
      boolean first = true;
      for (Map.Entry<String, String> entry : bad.entrySet()) {
        if (!first) {
          json.append(", ");
        }
        first = false;
        string(json, entry.getKey());
        json.append(": ");
        string(json, entry.getValue());
      }
      json.append('}');
    }
    return json.append('}').toString().getBytes(StandardCharsets.UTF_8);
  }

  private static void value(StringBuilder json, @Nullable Object value) {
    if (value == null) {
      json.append("null");
    } else if (value instanceof Boolean b) {
      json.append(b);
    } else if (value instanceof Byte
        || value instanceof Short
        || value instanceof Integer
        || value instanceof Long
        || value instanceof UByte
        || value instanceof UShort
        || value instanceof UInteger
        || value instanceof ULong) {
      json.append(value);
    } else if (value instanceof Float || value instanceof Double) {
      double d = ((Number) value).doubleValue();
      if (Double.isFinite(d)) {
        // Keeps the fraction (24.0 stays 24.0): the gateway must see that it was not an integer.
        json.append(value instanceof Float f ? Float.toString(f) : Double.toString(d));
      } else {
        string(json, Double.toString(d));
      }
    } else if (value instanceof String s) {
      string(json, s);
    } else if (value.getClass().isArray()) {
      json.append('[');
      for (int i = 0; i < Array.getLength(value); i++) {
        if (i > 0) {
          json.append(", ");
        }
        value(json, Array.get(value, i));
      }
      json.append(']');
    } else {
      string(json, value.toString());
    }
  }

  private static void string(StringBuilder json, String s) {
    json.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> json.append("\\\"");
        case '\\' -> json.append("\\\\");
        case '\n' -> json.append("\\n");
        case '\r' -> json.append("\\r");
        case '\t' -> json.append("\\t");
        default -> {
          if (c < 0x20) {
            json.append(String.format("\\u%04x", (int) c));
          } else {
            json.append(c);
          }
        }
      }
    }
    json.append('"');
  }
}
