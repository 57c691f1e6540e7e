package dev.linegate.simulator.mqtt;

import io.moquette.interception.AbstractInterceptHandler;
import io.moquette.interception.messages.InterceptSubscribeMessage;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells when a client has subscribed to a filter matching a topic. A publisher that starts before
 * anyone subscribed loses its messages: the broker keeps QoS 1 messages only for existing sessions.
 */
final class SubscriptionWatch extends AbstractInterceptHandler {
  private static final Logger LOG = LoggerFactory.getLogger(SubscriptionWatch.class);

  private record Waiter(String topic, CompletableFuture<String> subscribed) {}

  private final Set<String> filters = new HashSet<>();
  private final List<Waiter> waiters = new ArrayList<>();

  /**
   * Completes (with the filter) once some client has subscribed to a filter matching {@code topic}.
   */
  synchronized CompletableFuture<String> subscribed(String topic) {
    var waiter = new Waiter(topic, new CompletableFuture<>());
    filters.stream()
        .filter(f -> matches(f, topic))
        .findFirst()
        .ifPresentOrElse(waiter.subscribed()::complete, () -> waiters.add(waiter));
    return waiter.subscribed();
  }

  @Override
  public String getID() {
    return "linegate-simulator-subscription-watch";
  }

  @Override
  public Class<?>[] getInterceptedMessageTypes() {
    return new Class<?>[] {InterceptSubscribeMessage.class};
  }

  @Override
  public synchronized void onSubscribe(InterceptSubscribeMessage message) {
    String filter = message.getTopicFilter();
    LOG.debug("{} subscribed to {}", message.getClientID(), filter);
    filters.add(filter);
    waiters.removeIf(w -> matches(filter, w.topic()) && w.subscribed().complete(filter));
  }

  @Override
  public void onSessionLoopError(Throwable error) {
    LOG.warn("broker session loop failed", error);
  }

  /** MQTT topic filter matching, with the {@code +} and {@code #} wildcards. */
  static boolean matches(String filter, String topic) {
    String[] f = filter.split("/", -1);
    String[] t = topic.split("/", -1);
    for (int i = 0; i < f.length; i++) {
      if (f[i].equals("#")) {
        return true;
      }
      if (i >= t.length || !(f[i].equals("+") || f[i].equals(t[i]))) {
        return false;
      }
    }
    return f.length == t.length;
  }
}
