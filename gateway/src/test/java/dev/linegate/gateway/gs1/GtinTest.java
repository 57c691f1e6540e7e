package dev.linegate.gateway.gs1;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class GtinTest {

  @ParameterizedTest
  @ValueSource(
      strings = {"09506000134352", "09521234543213", "1234567890128", "123456789012345675"})
  void acceptsKnownGoodGs1Keys(String key) {
    assertThat(Gtin.hasValidCheckDigit(key)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"09506000134353", "09521234543210", "1234567890127", "0950600013435A", "", "7"})
  void refusesWrongCheckDigitsAndNonDigits(String key) {
    assertThat(Gtin.hasValidCheckDigit(key)).isFalse();
  }

  @ParameterizedTest
  @CsvSource({
    "96385074, 00000096385074",
    "036000291452, 00036000291452",
    "9521234543213, 09521234543213",
    "09506000134352, 09506000134352",
    "12345, 12345",
    "95212345432A3, 95212345432A3"
  })
  void padsGtin8To13ToFourteenDigitsAndLeavesAnythingElseForValidation(
      String given, String expected) {
    assertThat(Gtin.toGtin14(given)).isEqualTo(expected);
  }
}
