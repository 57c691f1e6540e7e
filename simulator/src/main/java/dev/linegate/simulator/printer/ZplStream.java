package dev.linegate.simulator.printer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Cuts the byte stream a printer receives into formats ({@code ^XA ... ^XZ}) and host queries
 * ({@code ~HS}, {@code ~HQES}). Bytes may arrive in any pieces; tilde commands are obeyed wherever
 * they come, between formats or inside one (as a Zebra does), except inside field data. Text is
 * kept as ISO-8859-1, one char per byte, so no byte is lost before the label is decoded.
 */
final class ZplStream {
  /** A runaway format without {@code ^XZ} is dropped rather than grown for ever. */
  private static final int MAX_FORMAT_CHARS = 4 << 20;

  private static final String[] QUERIES = {"~HQES", "~HS"};

  /** Cancels a format received in part: the host's way to drop what a broken write left. */
  private static final String CANCEL = "~JX";

  sealed interface Piece permits Format, Query {}

  record Format(String zpl) implements Piece {}

  /** {@code command} is {@code HS} or {@code HQES}. */
  record Query(String command) implements Piece {}

  private final StringBuilder text = new StringBuilder();
  private boolean inFormat;
  private boolean inFieldData;

  /** Where scanning of the current format continues. */
  private int scan;

  List<Piece> feed(byte[] bytes, int length) {
    text.append(new String(bytes, 0, length, StandardCharsets.ISO_8859_1));
    if (inFormat) {
      // Obeyed even inside field data: a format cut there would otherwise swallow what follows.
      int cancel = text.indexOf(CANCEL, 0);
      if (cancel >= 0) {
        text.delete(0, cancel + CANCEL.length());
        inFormat = false;
        inFieldData = false;
        scan = 0;
      }
    }
    var pieces = new ArrayList<Piece>();
    boolean progress = true;
    while (progress) {
      progress = inFormat ? scanFormat(pieces) : scanBetweenFormats(pieces);
    }
    if (text.length() > MAX_FORMAT_CHARS) {
      reset();
    }
    return pieces;
  }

  /** A format has begun and not ended: the {@code ~HS} "partial format" flag. */
  boolean partialFormat() {
    return inFormat;
  }

  void reset() {
    text.setLength(0);
    inFormat = false;
    inFieldData = false;
    scan = 0;
  }

  private boolean scanBetweenFormats(List<Piece> pieces) {
    int start = indexOfCommand(0);
    if (start < 0) {
      text.setLength(0);
      return false;
    }
    text.delete(0, start);
    if (startsWith(0, "^XA")) {
      inFormat = true;
      scan = 3;
      return true;
    }
    for (String query : QUERIES) {
      if (startsWith(0, query)) {
        pieces.add(new Query(query.substring(1)));
        text.delete(0, query.length());
        return true;
      }
    }
    if (startsWith(0, CANCEL)) {
      text.delete(0, CANCEL.length());
      return true;
    }
    if (couldBecome(0, "^XA")
        || couldBecome(0, "~HQES")
        || couldBecome(0, "~HS")
        || couldBecome(0, CANCEL)) {
      return false;
    }
    text.deleteCharAt(0);
    return true;
  }

  private boolean scanFormat(List<Piece> pieces) {
    while (scan < text.length()) {
      if (inFieldData) {
        int end = text.indexOf("^FS", scan);
        if (end < 0) {
          scan = Math.max(scan, text.length() - 2);
          return false;
        }
        inFieldData = false;
        scan = end + 3;
        continue;
      }
      char c = text.charAt(scan);
      if (c != '^' && c != '~') {
        scan++;
        continue;
      }
      if (startsWith(scan, "^XZ")) {
        pieces.add(new Format(text.substring(0, scan + 3)));
        text.delete(0, scan + 3);
        inFormat = false;
        scan = 0;
        return true;
      }
      if (startsWith(scan, "^FD")) {
        inFieldData = true;
        scan += 3;
        continue;
      }
      String query = queryAt(scan);
      if (query != null) {
        pieces.add(new Query(query.substring(1)));
        text.delete(scan, scan + query.length());
        continue;
      }
      if (couldBecome(scan, "^XZ")
          || couldBecome(scan, "^FD")
          || couldBecome(scan, "~HQES")
          || couldBecome(scan, "~HS")) {
        return false;
      }
      scan++;
    }
    return false;
  }

  private @org.jspecify.annotations.Nullable String queryAt(int at) {
    for (String query : QUERIES) {
      if (startsWith(at, query)) {
        return query;
      }
    }
    return null;
  }

  private int indexOfCommand(int from) {
    for (int i = from; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '^' || c == '~') {
        return i;
      }
    }
    return -1;
  }

  private boolean startsWith(int at, String prefix) {
    return text.length() - at >= prefix.length()
        && text.substring(at, at + prefix.length()).equalsIgnoreCase(prefix);
  }

  /**
   * The text from {@code at} is a proper beginning of {@code command}: more bytes may finish it.
   */
  private boolean couldBecome(int at, String command) {
    int available = text.length() - at;
    return available < command.length()
        && command.substring(0, available).equalsIgnoreCase(text.substring(at));
  }
}
