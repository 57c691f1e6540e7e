package dev.linegate.gateway.gs1;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GtinTest {

  @ParameterizedTest
  @ValueSource(strings = {"09506000134352", "09521234543213", "1234567890128", "123456789012345675"})
  void acceptsKnownGoodGs1Keys(String key) {
    assertThat(Gtin.hasValidCheckDigit(key)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"09506000134353", "09521234543210", "1234567890127", "0950600013435A", "", "7"})
  void refusesWrongCheckDigitsAndNonDigits(String key) {
    assertThat(Gtin.hasValidCheckDigit(key)).isFalse();
  }
}
