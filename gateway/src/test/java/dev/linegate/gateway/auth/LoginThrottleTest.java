package dev.linegate.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {

  private final TestClock clock = new TestClock();
  private final LoginThrottle throttle = new LoginThrottle(clock);

  @Test
  void fiveFailuresMakeTheUserWaitAndEachFurtherFailureDoublesTheWaitUpToFifteenMinutes() {
    for (int i = 0; i < 4; i++) {
      throttle.failed("anna", "10.0.0.5");
    }
    assertThat(throttle.wait("anna", "10.0.0.5")).as("four typos are free").isEmpty();
    throttle.failed("anna", "10.0.0.5");
    assertThat(throttle.wait("ANNA", "10.0.0.9")).contains(Duration.ofSeconds(30));

    clock.advance(Duration.ofSeconds(30));
    assertThat(throttle.wait("anna", "10.0.0.5")).isEmpty();
    throttle.failed("anna", "10.0.0.5");
    assertThat(throttle.wait("anna", "10.0.0.5")).contains(Duration.ofSeconds(60));
    for (int i = 0; i < 10; i++) {
      throttle.failed("anna", "10.0.0.5");
    }
    assertThat(throttle.wait("anna", "10.0.0.5")).contains(LoginThrottle.LONGEST);

    throttle.succeeded("anna");
    assertThat(throttle.wait("anna", "10.0.0.6"))
        .as("another address, the count cleared")
        .isEmpty();
  }

  @Test
  void oneAddressTryingManyNamesWaitsAfterTwentyWhileOtherAddressesDoNot() {
    for (int i = 0; i < 19; i++) {
      throttle.failed("user" + i, "10.0.0.66");
    }
    assertThat(throttle.wait("someone", "10.0.0.66")).isEmpty();
    throttle.failed("user19", "10.0.0.66");
    assertThat(throttle.wait("someone", "10.0.0.66")).contains(Duration.ofSeconds(30));
    assertThat(throttle.wait("someone", "10.0.0.7")).isEmpty();
  }

  @Test
  void failuresAnHourOldAreForgotten() {
    for (int i = 0; i < 4; i++) {
      throttle.failed("ben", "10.0.0.5");
    }
    clock.advance(Duration.ofMinutes(61));
    throttle.failed("ben", "10.0.0.5");
    assertThat(throttle.wait("ben", "10.0.0.5")).isEmpty();
  }
}
