package dev.linegate.gateway.gs1;

/** GS1 character set 82: what AI (10) lots and AI (21) serials may contain. */
public final class Cset82 {

  private static final String PUNCTUATION = "!\"%&'()*+,-./:;<=>?_";

  private Cset82() {}

  public static boolean allows(char c) {
    return (c >= '0' && c <= '9')
        || (c >= 'A' && c <= 'Z')
        || (c >= 'a' && c <= 'z')
        || PUNCTUATION.indexOf(c) >= 0;
  }

  /** The first character outside CSET 82, or -1 when {@code text} is clean. */
  public static int firstInvalid(String text) {
    for (int i = 0; i < text.length(); i++) {
      if (!allows(text.charAt(i))) {
        return i;
      }
    }
    return -1;
  }
}
