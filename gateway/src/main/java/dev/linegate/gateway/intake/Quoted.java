package dev.linegate.gateway.intake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.Locale;

/**
 * A value from a signal as a reject reason quotes it: whole when it is short, else its first
 * {@value #MAX} characters and its length. Reasons are stored, served by {@code /api/rejects} and
 * logged, so a 19 MB batch id must not make a 19 MB reason.
 */
final class Quoted {

  static final int MAX = 100;

  private Quoted() {}

  /** As JSON: {@code "B-1"}, {@code 2.5}, {@code "AAAA..." (19,000,000 characters)}. */
  static String of(JsonNode value) {
    if (value.isTextual()) {
      String text = value.asText();
      if (text.length() <= MAX) {
        return value.toString();
      }
      String start = new TextNode(text.substring(0, cut(text))).toString();
      return start.substring(0, start.length() - 1) + "...\"" + length(text);
    }
    return text(value.toString());
  }

  /** Any text made of input, such as the fields of a bad status. */
  static String text(String text) {
    return text.length() <= MAX ? text : text.substring(0, cut(text)) + "..." + length(text);
  }

  /** Not between the two halves of a surrogate pair. */
  private static int cut(String text) {
    return Character.isHighSurrogate(text.charAt(MAX - 1)) ? MAX - 1 : MAX;
  }

  private static String length(String text) {
    return String.format(Locale.ROOT, " (%,d characters)", text.length());
  }
}
