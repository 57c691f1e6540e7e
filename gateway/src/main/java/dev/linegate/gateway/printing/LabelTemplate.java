package dev.linegate.gateway.printing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A ZPL label with named placeholders, {@code {lot}}, {@code {gs1DataMatrix}}..., read and checked
 * once at start: an unknown placeholder is a configuration error, not a blank field on a label.
 */
public final class LabelTemplate {

  private static final Pattern PLACEHOLDER = Pattern.compile("\\{([^{}\\s]*)}");
  private static final Pattern QUANTITY = Pattern.compile("\\^PQ(\\d+)");

  private final Path file;

  /** Literal text and placeholder names, alternating, starting with text. */
  private final List<String> parts;

  private LabelTemplate(Path file, List<String> parts) {
    this.file = file;
    this.parts = parts;
  }

  /** Reads and checks a unit or lot label's template. */
  public static LabelTemplate read(Path file) throws IOException {
    return read(file, LabelFields.NAMES);
  }

  /**
   * Reads and checks a template whose placeholders may be {@code names}; the exception's message
   * says what is wrong and where.
   */
  public static LabelTemplate read(Path file, List<String> names) throws IOException {
    String text = Files.readString(file, StandardCharsets.UTF_8);
    List<String> problems = new ArrayList<>();
    if (!text.contains("^XA") || !text.contains("^XZ")) {
      problems.add("is not a ZPL label: it needs ^XA at the start and ^XZ at the end");
    }
    Matcher copies = QUANTITY.matcher(text);
    while (copies.find()) {
      if (!copies.group(1).equals("1")) {
        problems.add(
            "line "
                + lineOf(text, copies.start())
                + ": ^PQ"
                + copies.group(1)
                + " prints copies, which would put one serial on several labels; use ^PQ1");
      }
    }
    List<String> parts = new ArrayList<>();
    Matcher matcher = PLACEHOLDER.matcher(text);
    int at = 0;
    while (matcher.find()) {
      parts.add(text.substring(at, matcher.start()));
      String name = matcher.group(1);
      if (!names.contains(name)) {
        problems.add(
            "line "
                + lineOf(text, matcher.start())
                + ": unknown placeholder {"
                + name
                + "} (known: "
                + String.join(", ", names)
                + ")");
      }
      parts.add(name);
      at = matcher.end();
    }
    parts.add(text.substring(at));
    int stray = firstStrayBrace(parts);
    if (stray >= 0) {
      problems.add("has a '{' or '}' that is not part of a {placeholder}");
    }
    if (!problems.isEmpty()) {
      throw new IOException(String.join("; ", problems));
    }
    return new LabelTemplate(file, List.copyOf(parts));
  }

  public Path file() {
    return file;
  }

  public Set<String> placeholders() {
    Set<String> names = new LinkedHashSet<>();
    for (int i = 1; i < parts.size(); i += 2) {
      names.add(parts.get(i));
    }
    return names;
  }

  public String render(Map<String, String> fields) {
    StringBuilder label = new StringBuilder(512);
    for (int i = 0; i < parts.size(); i++) {
      label.append(i % 2 == 0 ? parts.get(i) : fields.get(parts.get(i)));
    }
    return label.toString();
  }

  private static int firstStrayBrace(List<String> parts) {
    for (int i = 0; i < parts.size(); i += 2) {
      String text = parts.get(i);
      int open = text.indexOf('{');
      int close = text.indexOf('}');
      if (open >= 0 || close >= 0) {
        return i;
      }
    }
    return -1;
  }

  private static int lineOf(String text, int offset) {
    int line = 1;
    for (int i = 0; i < offset; i++) {
      if (text.charAt(i) == '\n') {
        line++;
      }
    }
    return line;
  }
}
