package dev.linegate.gateway.gs1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class YymmddTest {

  /**
   * GS1 General Specifications 7.12: up to 49 years back and 50 ahead; Linegate reads 2000-2099.
   */
  @Test
  void aLabelCarriesOnlyDatesEveryReaderPlacesInTheSameCentury() {
    assertThat(Yymmdd.earliest(LocalDate.parse("2026-11-23"))).isEqualTo("2000-01-01");
    assertThat(Yymmdd.latest(LocalDate.parse("2026-11-23"))).isEqualTo("2076-12-31");
    assertThat(Yymmdd.earliest(LocalDate.parse("2070-01-01"))).isEqualTo("2021-01-01");
    assertThat(Yymmdd.latest(LocalDate.parse("2070-01-01"))).isEqualTo("2099-12-31");
  }

  @Test
  void aYearOutsideTwoThousandToTwentyNinetyNineIsNotWrittenAsSixDigits() {
    assertThat(Yymmdd.format(LocalDate.parse("2099-12-31"))).isEqualTo("991231");
    assertThatThrownBy(() -> Yymmdd.format(LocalDate.parse("2100-01-01")))
        .hasMessage("year 2100 does not fit YYMMDD (2000-2099)");
  }
}
