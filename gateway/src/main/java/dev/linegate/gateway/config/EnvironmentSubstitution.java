package dev.linegate.gateway.config;

import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code ${NAME}} and {@code ${NAME:-default}} in configuration values, from the environment. */
final class EnvironmentSubstitution {

  private static final Pattern VARIABLE =
      Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(:-([^}]*))?}");

  private final Function<String, String> environment;

  EnvironmentSubstitution(Map<String, String> environment) {
    this.environment = environment::get;
  }

  /**
   * The text with every variable replaced, or the name of the first unset variable without default.
   */
  Result apply(String text) {
    Matcher matcher = VARIABLE.matcher(text);
    StringBuilder out = new StringBuilder();
    while (matcher.find()) {
      String value = environment.apply(matcher.group(1));
      if (value == null) {
        if (matcher.group(2) == null) {
          return new Result(text, Optional.of(matcher.group(1)));
        }
        value = matcher.group(3);
      }
      matcher.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    matcher.appendTail(out);
    return new Result(out.toString(), Optional.empty());
  }

  record Result(String text, Optional<String> unsetVariable) {}
}
