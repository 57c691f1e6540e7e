package dev.linegate.gateway.gs1;

/** One application identifier and its value, such as (10) {@code L126327001}; always valid. */
public record Gs1Element(Gs1Ai ai, String value) {

  /**
   * @throws IllegalArgumentException with an operator-readable reason when the value does not fit
   *     the AI
   */
  public Gs1Element {
    String problem = ai.problemWith(value).orElse(null);
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
  }
}
