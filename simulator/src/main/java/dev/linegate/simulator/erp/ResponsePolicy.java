package dev.linegate.simulator.erp;

import java.time.Duration;
import java.util.function.Predicate;

/**
 * How the ERP answers a valid event: after {@code delay}, {@code status} if {@code which} says so,
 * else 200.
 */
record ResponsePolicy(Duration delay, int status, Predicate<ErpEvent> which) {
  static final ResponsePolicy NORMAL = new ResponsePolicy(Duration.ZERO, 200, event -> false);

  int statusFor(ErpEvent event) {
    return which.test(event) ? status : 200;
  }

  ResponsePolicy withDelay(Duration newDelay) {
    return new ResponsePolicy(newDelay, status, which);
  }

  ResponsePolicy withStatus(int newStatus, Predicate<ErpEvent> newWhich) {
    return new ResponsePolicy(delay, newStatus, newWhich);
  }
}
