package dev.linegate.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FreePortTest {

  /**
   * A test asks for several ports at once (the demo takes ten) and binds them only later: the same
   * port given twice makes the second part fail with "port in use", as DemoScriptIT did in CI.
   */
  @Test
  void noPortIsGivenTwiceInOneRun() {
    Set<Integer> given = new HashSet<>();
    for (int i = 0; i < 2_000; i++) {
      int port = FreePort.pick();
      assertThat(given.add(port)).as("port %d given again after %d picks", port, i).isTrue();
      assertThat(port).isBetween(20_000, 31_999);
    }
  }
}
