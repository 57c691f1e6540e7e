package dev.linegate.connectors;

/** A password or token: usable by the code that needs it, never printed in a log or a dump. */
public record Secret(String value) {

  public boolean isEmpty() {
    return value.isEmpty();
  }

  @Override
  public String toString() {
    return value.isEmpty() ? "(empty)" : "*****";
  }
}
