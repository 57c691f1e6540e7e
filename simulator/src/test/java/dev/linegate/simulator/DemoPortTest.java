package dev.linegate.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.linegate.simulator.erp.SimulatedErp;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

/** What a new user reads when a port of the demo is taken: the part, the port, how to move it. */
class DemoPortTest {

  @Test
  void aTakenPortNamesThePartThePortAndTheOptionAndVariableThatMoveIt() throws Exception {
    try (var taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      var erp = new DemoPort("the ERP", taken.getLocalPort(), "--erp-port", "DEMO_ERP_PORT");

      assertThat(erp.problem())
          .contains(
              "the ERP cannot listen: port "
                  + taken.getLocalPort()
                  + " is in use; stop what holds it, or choose another port with --erp-port (./linegate demo: DEMO_ERP_PORT=<port>)");
    }
  }

  @Test
  void aFreePortIsNoProblem() throws Exception {
    int free = FreePort.pick();
    assertThat(new DemoPort("the ERP", free, "--erp-port", "DEMO_ERP_PORT").problem()).isEmpty();
  }

  /**
   * Taken between the check and the start: the part's own failure is turned into the same advice.
   */
  @Test
  void aPartThatFailsOnATakenPortGivesTheSameAdvice() throws Exception {
    try (var taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      var erp = new DemoPort("the ERP", taken.getLocalPort(), "--erp-port", "DEMO_ERP_PORT");

      assertThatThrownBy(() -> erp.start(() -> SimulatedErp.start(taken.getLocalPort())))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("port " + taken.getLocalPort() + " is in use")
          .hasMessageContaining("DEMO_ERP_PORT");
    }
  }
}
