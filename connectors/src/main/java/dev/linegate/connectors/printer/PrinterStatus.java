package dev.linegate.connectors.printer;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.StringJoiner;

/**
 * What a Zebra printer says about itself in its {@code ~HS} answer (ZPL II manual, "~HS Host Status
 * Return").
 *
 * @param formatsInBuffer formats received and not yet started printing ({@code eee})
 * @param labelsRemaining labels left in the {@code ^PQ} batch of the format printing now, the one
 *     printing included; 0 when idle ({@code uuuuuuuu}). Formats still waiting are not in it.
 */
public record PrinterStatus(
    boolean paperOut,
    boolean paused,
    boolean headOpen,
    boolean ribbonOut,
    boolean bufferFull,
    int formatsInBuffer,
    int labelsRemaining) {

  private static final char STX = 0x02;
  private static final char ETX = 0x03;

  /**
   * Labels the printer holds and has not printed: {@code formatsInBuffer + labelsRemaining}. A
   * Zebra counts the format it is printing only in {@code labelsRemaining} (its batch) and the
   * formats behind it only in {@code formatsInBuffer}, so neither field alone is what is left; the
   * sum is, with one label per waiting format, which is how the gateway sends them ({@code ^PQ1}).
   * A waiting format with a larger {@code ^PQ} would count as one label until it starts.
   */
  public int labelsInPrinter() {
    return formatsInBuffer + labelsRemaining;
  }

  /** Why the printer will not print now, for an operator: "paper out", "head open, paused"... */
  public Optional<String> fault() {
    var faults = new StringJoiner(", ");
    if (paperOut) {
      faults.add("paper out");
    }
    if (headOpen) {
      faults.add("head open");
    }
    if (ribbonOut) {
      faults.add("ribbon out");
    }
    if (paused) {
      faults.add("paused");
    }
    return faults.length() == 0 ? Optional.empty() : Optional.of(faults.toString());
  }

  /**
   * Reads a whole {@code ~HS} answer: three frames {@code STX line ETX}, each usually followed by
   * CR LF. Line 1 {@code aaa,b,c,dddd,eee,f,g,h,iii,j,k,l} (b paper out, c pause, eee formats in
   * buffer, f buffer full), line 2 {@code mmm,n,o,p,q,r,s,t,uuuuuuuu,v,www} (o head up, p ribbon
   * out, uuuuuuuu labels remaining), line 3 {@code xxxx,y}.
   *
   * @throws IllegalArgumentException saying what is wrong, when it is not such an answer
   */
  public static PrinterStatus parse(String answer) {
    List<String> lines = frames(answer);
    String[] line1 = fields(lines, 0, 12);
    String[] line2 = fields(lines, 1, 11);
    fields(lines, 2, 2);
    return new PrinterStatus(
        flag(line1, 1, "paper out"),
        flag(line1, 2, "pause"),
        flag(line2, 2, "head up"),
        flag(line2, 3, "ribbon out"),
        flag(line1, 5, "buffer full"),
        number(line1, 4, "formats in buffer"),
        number(line2, 8, "labels remaining"));
  }

  /** All three frames have arrived: the answer can be parsed. */
  static boolean complete(CharSequence received) {
    return received.chars().filter(c -> c == ETX).count() >= 3;
  }

  private static List<String> frames(String answer) {
    var frames = new ArrayList<String>();
    int at = 0;
    while (at < answer.length()) {
      char c = answer.charAt(at);
      if (c == '\r' || c == '\n' || c == ' ') {
        at++;
        continue;
      }
      int end = answer.indexOf(ETX, at);
      if (c != STX || end < 0) {
        throw garbage(answer, "expected STX ... ETX frames");
      }
      frames.add(answer.substring(at + 1, end));
      at = end + 1;
    }
    if (frames.size() != 3) {
      throw garbage(answer, "expected 3 lines, got " + frames.size());
    }
    return frames;
  }

  private static String[] fields(List<String> lines, int index, int expected) {
    String[] fields = lines.get(index).split(",", -1);
    if (fields.length != expected) {
      throw new IllegalArgumentException(
          "not a ~HS answer: line "
              + (index + 1)
              + " has "
              + fields.length
              + " fields instead of "
              + expected
              + ": \""
              + printable(lines.get(index))
              + "\"");
    }
    return fields;
  }

  private static boolean flag(String[] fields, int index, String what) {
    return switch (fields[index]) {
      case "0" -> false;
      case "1" -> true;
      default ->
          throw new IllegalArgumentException(
              "not a ~HS answer: the " + what + " flag is '" + printable(fields[index]) + "'");
    };
  }

  private static int number(String[] fields, int index, String what) {
    String field = fields[index];
    if (field.isEmpty() || field.length() > 9 || !field.chars().allMatch(Character::isDigit)) {
      throw new IllegalArgumentException(
          "not a ~HS answer: " + what + " is '" + printable(field) + "'");
    }
    return Integer.parseInt(field);
  }

  private static IllegalArgumentException garbage(String answer, String problem) {
    return new IllegalArgumentException(
        "not a ~HS answer (" + problem + "): \"" + printable(answer) + "\"");
  }

  /** Control characters shown as {@code <02>}, and long answers cut, for log messages. */
  static String printable(String text) {
    var out = new StringBuilder();
    for (char c : text.substring(0, Math.min(text.length(), 200)).toCharArray()) {
      if (c < 0x20 || c > 0x7e) {
        out.append(String.format("<%02X>", (int) c));
      } else {
        out.append(c);
      }
    }
    return text.length() > 200 ? out.append("...").toString() : out.toString();
  }
}
