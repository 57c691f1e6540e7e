package dev.linegate.simulator.trace;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class UnitLabelTest {

  /**
   * The station judges exactly these bytes: a wrong separator or date form would be rejected, not
   * timed.
   */
  @Test
  void elementStringSeparatesTheVariableLengthLotWithGs() {
    var label =
        new UnitLabel("09506000134352", LocalDate.of(2028, 11, 22), "L126327001", "123456789012");

    assertThat(label.elementString())
        .isEqualTo("0109506000134352" + "17281122" + "10L126327001" + "\u001d" + "21123456789012");
  }
}
