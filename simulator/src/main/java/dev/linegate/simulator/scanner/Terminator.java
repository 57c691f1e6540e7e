package dev.linegate.simulator.scanner;

import java.nio.charset.StandardCharsets;

/** What a scanner sends after each code; set in the scanner's configuration (DOMAIN 6). */
public enum Terminator {
  CR("\r"),
  LF("\n"),
  CRLF("\r\n");

  private final String text;

  Terminator(String text) {
    this.text = text;
  }

  byte[] bytes() {
    return text.getBytes(StandardCharsets.US_ASCII);
  }
}
