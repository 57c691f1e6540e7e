package dev.linegate.gateway.auth;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** What a signature means (21 CFR 11.50): the words the signer chose, recorded with it. */
public enum Meaning {
  APPROVED,
  REVIEWED,
  RESPONSIBLE;

  public String text() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<Meaning> of(String text) {
    return Arrays.stream(values()).filter(meaning -> meaning.text().equals(text)).findFirst();
  }

  public static String choices() {
    return Arrays.stream(values()).map(Meaning::text).collect(Collectors.joining(", "));
  }
}
