package dev.linegate.gateway.numbering;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A line's lot number pattern (SPEC section 2), e.g. {@code {line}{yy}{julian}{seq:3}}. The counter
 * restarts whenever the text around it changes, so the counter's key is that text.
 */
public final class LotPattern {

  private static final Pattern TOKEN = Pattern.compile("\\{([^{}]*)}");
  private static final Pattern SEQ = Pattern.compile("seq:(\\d{1,2})");

  private sealed interface Part permits Literal, Field, Seq {}

  private record Literal(String text) implements Part {}

  private record Field(String name) implements Part {}

  private record Seq(int digits) implements Part {}

  /** The pattern filled in for one batch, waiting for its counter value. */
  public record Rendered(String prefix, int digits, String suffix) {

    public String counterKey() {
      return prefix + "{seq:" + digits + "}" + suffix;
    }

    public long maxCounter() {
      return (long) Math.pow(10, digits) - 1;
    }

    public String lot(long counter) {
      return prefix + zeroPadded(counter, digits) + suffix;
    }
  }

  /** What a lot number is made of besides its counter. */
  public record Context(String line, String product, String gateway, LocalDate date) {}

  private final String source;
  private final List<Part> parts;

  private LotPattern(String source, List<Part> parts) {
    this.source = source;
    this.parts = parts;
  }

  /**
   * @throws IllegalArgumentException saying what is wrong with the pattern
   */
  public static LotPattern parse(String pattern) {
    List<Part> parts = new ArrayList<>();
    Matcher token = TOKEN.matcher(pattern);
    int at = 0;
    int counters = 0;
    while (token.find()) {
      addLiteral(parts, pattern.substring(at, token.start()));
      String name = token.group(1);
      Matcher seq = SEQ.matcher(name);
      if (seq.matches()) {
        int digits = Integer.parseInt(seq.group(1));
        if (digits < 1 || digits > 18) {
          throw new IllegalArgumentException("{seq:N} needs N between 1 and 18, not " + digits);
        }
        parts.add(new Seq(digits));
        counters++;
      } else if (List.of("line", "product", "gateway", "yyyy", "yy", "MM", "dd", "julian")
          .contains(name)) {
        parts.add(new Field(name));
      } else {
        throw new IllegalArgumentException(
            "unknown token {"
                + name
                + "} (known: {line} {product} {gateway} {yyyy} {yy} {MM} {dd} {julian} {seq:N})");
      }
      at = token.end();
    }
    addLiteral(parts, pattern.substring(at));
    if (counters != 1) {
      throw new IllegalArgumentException(
          "needs exactly one {seq:N} counter, or two batches could get the same lot; found "
              + counters);
    }
    return new LotPattern(pattern, List.copyOf(parts));
  }

  private static void addLiteral(List<Part> parts, String text) {
    if (text.indexOf('{') >= 0 || text.indexOf('}') >= 0) {
      throw new IllegalArgumentException("unbalanced brace in \"" + text + "\"");
    }
    if (!text.isEmpty()) {
      parts.add(new Literal(text));
    }
  }

  public Rendered render(Context context) {
    StringBuilder prefix = new StringBuilder();
    StringBuilder suffix = new StringBuilder();
    StringBuilder current = prefix;
    int digits = 0;
    for (Part part : parts) {
      if (part instanceof Literal literal) {
        current.append(literal.text());
      } else if (part instanceof Field field) {
        current.append(value(field.name(), context));
      } else if (part instanceof Seq seq) {
        digits = seq.digits();
        current = suffix;
      }
    }
    return new Rendered(prefix.toString(), digits, suffix.toString());
  }

  private static String value(String field, Context context) {
    LocalDate date = context.date();
    return switch (field) {
      case "line" -> context.line();
      case "product" -> context.product();
      case "gateway" -> context.gateway();
      case "yyyy" -> zeroPadded(date.getYear(), 4);
      case "yy" -> zeroPadded(date.getYear() % 100, 2);
      case "MM" -> zeroPadded(date.getMonthValue(), 2);
      case "dd" -> zeroPadded(date.getDayOfMonth(), 2);
      case "julian" -> zeroPadded(date.getDayOfYear(), 3);
      default -> throw new IllegalStateException("token checked at parse: " + field);
    };
  }

  /**
   * {@code value} in decimal, zeros in front up to {@code width} digits. Not String.format: it runs
   * on the store writer for every lot, and String.format was a fifth of that thread's Java time at
   * 500 lots/s (BENCHMARKS.md, issue 11).
   */
  static String zeroPadded(long value, int width) {
    String digits = Long.toString(value);
    return digits.length() >= width ? digits : "0".repeat(width - digits.length()) + digits;
  }

  @Override
  public String toString() {
    return source;
  }
}
