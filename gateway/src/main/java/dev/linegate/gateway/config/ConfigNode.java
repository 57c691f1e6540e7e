package dev.linegate.gateway.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * A position in the YAML tree that reads typed values and, instead of throwing, records what is
 * wrong under its full key path, so that one start-up lists every problem at once.
 */
final class ConfigNode {

  private final JsonNode node;
  private final String path;
  private final List<String> problems;

  ConfigNode(JsonNode node, String path, List<String> problems) {
    this.node = node;
    this.path = path;
    this.problems = problems;
  }

  String path() {
    return path;
  }

  String key(String name) {
    return path.isEmpty() ? name : path + "." + name;
  }

  void problem(String key, String message) {
    problems.add(key + ": " + message);
  }

  boolean has(String name) {
    JsonNode value = node.get(name);
    return value != null && !value.isNull() && !(value.isTextual() && value.asText().isEmpty());
  }

  /** A required scalar; null (with a problem recorded) when missing. */
  String string(String name) {
    Optional<String> value = optionalString(name);
    if (value.isEmpty()) {
      problem(key(name), "is required");
      return null;
    }
    return value.get();
  }

  String string(String name, String fallback) {
    return optionalString(name).orElse(fallback);
  }

  Optional<String> optionalString(String name) {
    if (!has(name)) {
      return Optional.empty();
    }
    JsonNode value = node.get(name);
    if (!value.isValueNode()) {
      problem(key(name), "must be a single value, not a list or a map");
      return Optional.empty();
    }
    return Optional.of(value.asText());
  }

  int integer(String name, int fallback, int min, int max) {
    if (!has(name)) {
      return fallback;
    }
    return parseInteger(name, min, max).orElse(fallback);
  }

  Integer requiredInteger(String name, int min, int max) {
    if (!has(name)) {
      problem(key(name), "is required");
      return null;
    }
    return parseInteger(name, min, max).orElse(null);
  }

  private Optional<Integer> parseInteger(String name, int min, int max) {
    String text = node.get(name).asText().trim();
    try {
      long value = Long.parseLong(text);
      if (value < min || value > max) {
        problem(key(name), "must be between " + min + " and " + max + ", not " + text);
        return Optional.empty();
      }
      return Optional.of((int) value);
    } catch (NumberFormatException e) {
      problem(key(name), "must be a whole number, not \"" + text + "\"");
      return Optional.empty();
    }
  }

  <E> E choice(String name, Map<String, E> allowed, E fallback) {
    Optional<String> value = optionalString(name);
    if (value.isEmpty()) {
      return fallback;
    }
    E chosen = allowed.get(value.get());
    if (chosen == null) {
      problem(
          key(name),
          "must be one of "
              + String.join(", ", allowed.keySet())
              + ", not \""
              + value.get()
              + "\"");
      return fallback;
    }
    return chosen;
  }

  List<String> strings(String name) {
    JsonNode value = node.get(name);
    List<String> items = new ArrayList<>();
    if (value == null || value.isNull()) {
      return items;
    }
    if (!value.isArray()
        || !java.util.stream.StreamSupport.stream(value.spliterator(), false)
            .allMatch(JsonNode::isValueNode)) {
      problem(key(name), "must be a list of values, e.g. [A, B]");
      return items;
    }
    value.forEach(item -> items.add(item.asText()));
    return items;
  }

  /** A map of names to plain values, in the file's order (e.g. HTTP headers). */
  Map<String, String> valueMap(String name) {
    Map<String, String> values = new LinkedHashMap<>();
    child(name)
        .ifPresent(
            map ->
                map.node
                    .fields()
                    .forEachRemaining(
                        field -> {
                          if (field.getValue().isValueNode() && !field.getValue().isNull()) {
                            values.put(field.getKey(), field.getValue().asText());
                          } else {
                            problem(map.key(field.getKey()), "must be a plain value");
                          }
                        }));
    return values;
  }

  Optional<ConfigNode> child(String name) {
    JsonNode value = node.get(name);
    if (value == null || value.isNull()) {
      return Optional.empty();
    }
    if (!value.isObject()) {
      problem(key(name), "must be a map of keys");
      return Optional.empty();
    }
    return Optional.of(new ConfigNode(value, key(name), problems));
  }

  ConfigNode requiredChild(String name) {
    return child(name)
        .orElseGet(
            () -> {
              if (!node.has(name) || node.get(name).isNull()) {
                problem(key(name), "is required");
              }
              return new ConfigNode(
                  com.fasterxml.jackson.databind.node.MissingNode.getInstance(),
                  key(name),
                  problems);
            });
  }

  <T> List<T> list(String name, Function<ConfigNode, T> reader) {
    JsonNode value = node.get(name);
    List<T> items = new ArrayList<>();
    if (value == null || value.isNull()) {
      return items;
    }
    if (!value.isArray()) {
      problem(key(name), "must be a list");
      return items;
    }
    for (int i = 0; i < value.size(); i++) {
      JsonNode item = value.get(i);
      String itemPath = key(name) + "[" + i + "]";
      if (!item.isObject()) {
        problem(itemPath, "must be a map of keys");
        continue;
      }
      items.add(reader.apply(new ConfigNode(item, itemPath, problems)));
    }
    return items;
  }

  /** Typos in key names are the commonest configuration error: name them. */
  void allowOnly(Set<String> known) {
    for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!known.contains(name)) {
        problem(
            key(name),
            "is not a known key (expected one of "
                + String.join(", ", new java.util.TreeSet<>(known))
                + ")");
      }
    }
  }
}
