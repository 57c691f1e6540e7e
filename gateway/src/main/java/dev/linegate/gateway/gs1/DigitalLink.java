package dev.linegate.gateway.gs1;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * GS1 Digital Link URIs ({@code https://id.gs1.org/01/09506000134352/10/L1?17=281122}): the key and
 * its qualifiers in the path, other AIs in the query. Any domain, and any path before the key,
 * since brands host links under their own addresses.
 */
public final class DigitalLink {

  /** Qualifiers of a GTIN in path order (AI 22, the consumer product variant, is not modelled). */
  private static final List<Gs1Ai> GTIN_QUALIFIERS = List.of(Gs1Ai.LOT, Gs1Ai.SERIAL);

  private DigitalLink() {}

  static boolean looksLikeUri(String text) {
    String lower = text.toLowerCase(Locale.ROOT);
    return lower.startsWith("http://") || lower.startsWith("https://");
  }

  static String format(Gs1Data data, String base) {
    if (!looksLikeUri(base)) {
      throw new IllegalArgumentException(
          "a Digital Link base must be an http or https address: " + Printable.quote(base));
    }
    if (data.gtin().isPresent() == data.sscc().isPresent()) {
      throw new IllegalStateException("a Digital Link needs exactly one key, a GTIN or an SSCC");
    }
    Gs1Ai key = data.gtin().isPresent() ? Gs1Ai.GTIN : Gs1Ai.SSCC;
    List<Gs1Ai> inPath = new ArrayList<>(List.of(key));
    if (key == Gs1Ai.GTIN) {
      inPath.addAll(GTIN_QUALIFIERS);
    }
    StringBuilder uri =
        new StringBuilder(base.endsWith("/") ? base.substring(0, base.length() - 1) : base);
    for (Gs1Ai ai : inPath) {
      data.value(ai)
          .ifPresent(v -> uri.append('/').append(ai.code()).append('/').append(encode(v)));
    }
    char next = '?';
    for (Gs1Element e : data.elements()) {
      if (!inPath.contains(e.ai())) {
        uri.append(next).append(e.ai().code()).append('=').append(encode(e.value()));
        next = '&';
      }
    }
    return uri.toString();
  }

  static Gs1Data parse(String uri) throws Gs1Exception {
    String rest = uri.substring(uri.indexOf("://") + 3);
    int fragment = rest.indexOf('#');
    rest = fragment >= 0 ? rest.substring(0, fragment) : rest;
    int queryStart = rest.indexOf('?');
    String query = queryStart >= 0 ? rest.substring(queryStart + 1) : "";
    String hostAndPath = queryStart >= 0 ? rest.substring(0, queryStart) : rest;
    int pathStart = hostAndPath.indexOf('/');
    List<String> segments = new ArrayList<>();
    for (String s : (pathStart >= 0 ? hostAndPath.substring(pathStart) : "").split("/")) {
      if (!s.isEmpty()) {
        segments.add(s);
      }
    }
    int key = keyIndex(segments);
    if (key < 0) {
      throw new Gs1Exception(
          "no GS1 data: web address without a GTIN or SSCC: " + Printable.quote(uri));
    }
    Elements elements = new Elements();
    for (int i = key; i < segments.size(); i += 2) {
      Gs1Ai ai = knownAi(segments.get(i));
      String value = decode(segments.get(i + 1));
      elements.add(ai, ai == Gs1Ai.GTIN ? Gtin.toGtin14(value) : value);
    }
    for (String param : query.split("&")) {
      int eq = param.indexOf('=');
      // Non-numeric parameters (linkType, tracking tags) are not GS1 data: skip them.
      if (eq > 0 && Gs1Ai.allDigits(param.substring(0, eq))) {
        elements.add(knownAi(param.substring(0, eq)), decode(param.substring(eq + 1)));
      }
    }
    return elements.toData(uri);
  }

  /** The first path segment naming a key that is followed by whole AI/value pairs, or -1. */
  private static int keyIndex(List<String> segments) {
    for (int i = 0; i < segments.size(); i++) {
      String s = segments.get(i);
      if ((s.equals(Gs1Ai.GTIN.code()) || s.equals(Gs1Ai.SSCC.code()))
          && (segments.size() - i) % 2 == 0) {
        return i;
      }
    }
    return -1;
  }

  private static Gs1Ai knownAi(String code) throws Gs1Exception {
    Gs1Ai ai = Gs1Ai.byCode(code).orElse(null);
    if (ai == null) {
      throw new Gs1Exception(
          "unsupported AI "
              + (Gs1Ai.allDigits(code) ? "(" + code + ")" : Printable.quote(code))
              + " in Digital Link");
    }
    return ai;
  }

  /**
   * Percent-encodes all but RFC 3986 unreserved characters, which is safe in a path and a query.
   */
  public static String encode(String value) {
    StringBuilder out = new StringBuilder();
    for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xFF);
      if ((c >= 'A' && c <= 'Z')
          || (c >= 'a' && c <= 'z')
          || (c >= '0' && c <= '9')
          || "-._~".indexOf(c) >= 0) {
        out.append(c);
      } else {
        out.append('%').append(String.format("%02X", (int) c));
      }
    }
    return out.toString();
  }

  /** Percent-decoding only: '+' stays a plus, as CSET 82 allows it in lots and serials. */
  static String decode(String text) throws Gs1Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c != '%') {
        bytes.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
        continue;
      }
      int hi = i + 2 < text.length() ? Character.digit(text.charAt(i + 1), 16) : -1;
      int lo = hi >= 0 ? Character.digit(text.charAt(i + 2), 16) : -1;
      if (lo < 0) {
        throw new Gs1Exception("bad %-escape in Digital Link: " + Printable.quote(text));
      }
      bytes.write(hi * 16 + lo);
      i += 2;
    }
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes.toByteArray()))
          .toString();
    } catch (CharacterCodingException e) {
      throw new Gs1Exception("bad %-escape in Digital Link: " + Printable.quote(text));
    }
  }
}
