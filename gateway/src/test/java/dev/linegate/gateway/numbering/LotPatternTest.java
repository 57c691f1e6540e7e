package dev.linegate.gateway.numbering;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class LotPatternTest {

  private static final LotPattern.Context NOV_23 =
      new LotPattern.Context("L1", "WIDGET-100", "edge-01", LocalDate.of(2026, 11, 23));

  @Test
  void everyTokenRendersAsTheSpecSays() {
    LotPattern.Rendered rendered = LotPattern.parse("{line}{yy}{julian}{seq:3}").render(NOV_23);
    assertThat(rendered.lot(1)).isEqualTo("L126327001");

    assertThat(LotPattern.parse("{line}-{yyyy}{MM}{dd}-{seq:4}").render(NOV_23).lot(12))
        .isEqualTo("L1-20261123-0012");
    assertThat(LotPattern.parse("{gateway}/{product}/{seq:2}").render(NOV_23).lot(7))
        .isEqualTo("edge-01/WIDGET-100/07");
  }

  /** Early in the year and in the month, every date field keeps its width. */
  @Test
  void dateFieldsAreZeroPaddedToTheirWidth() {
    LotPattern.Context jan5 =
        new LotPattern.Context("L1", "WIDGET-100", "edge-01", LocalDate.of(2031, 1, 5));
    assertThat(LotPattern.parse("{yy}{julian}-{yyyy}{MM}{dd}-{seq:6}").render(jan5).lot(42))
        .isEqualTo("31005-20310105-000042");
  }

  /** The counter restarts when the text around it changes: its key is that text. */
  @Test
  void counterKeyChangesWithTheDayButNotWithTheNumber() {
    LotPattern pattern = LotPattern.parse("{line}{yy}{julian}{seq:3}");
    String monday = pattern.render(NOV_23).counterKey();
    String tuesday =
        pattern
            .render(
                new LotPattern.Context("L1", "WIDGET-100", "edge-01", LocalDate.of(2026, 11, 24)))
            .counterKey();
    assertThat(monday).isEqualTo("L126327{seq:3}").isNotEqualTo(tuesday);
  }

  @Test
  void counterLimitIsTheLargestNumberItsDigitsHold() {
    assertThat(LotPattern.parse("{seq:3}").render(NOV_23).maxCounter()).isEqualTo(999);
  }

  @Test
  void patternsThatCannotBeUniqueOrAreMisspeltAreRefused() {
    assertThatThrownBy(() -> LotPattern.parse("{line}{yy}"))
        .hasMessageContaining("exactly one {seq:N}");
    assertThatThrownBy(() -> LotPattern.parse("{line}{seq:2}{seq:2}"))
        .hasMessageContaining("exactly one {seq:N}");
    assertThatThrownBy(() -> LotPattern.parse("{lin}{seq:3}"))
        .hasMessageContaining("unknown token {lin}");
    assertThatThrownBy(() -> LotPattern.parse("{line{seq:3}"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> LotPattern.parse("{seq:0}")).hasMessageContaining("between 1 and 18");
  }
}
