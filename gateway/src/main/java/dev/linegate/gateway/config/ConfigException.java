package dev.linegate.gateway.config;

import java.util.List;

/** The configuration cannot be used; carries every problem found, each naming file and key. */
public final class ConfigException extends Exception {

  private final List<String> problems;

  public ConfigException(List<String> problems) {
    super(String.join(System.lineSeparator(), problems));
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }
}
