package dev.linegate.connectors.opcua;

import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.sdk.client.subscriptions.MonitoredItemServiceOperationResult;
import org.eclipse.milo.opcua.sdk.client.subscriptions.OpcUaMonitoredItem;
import org.eclipse.milo.opcua.sdk.client.subscriptions.OpcUaSubscription;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;

/**
 * A line's subscription to its Ready node: says when Ready changed, and when notifications may have
 * been missed (the handshake must then be read). Keeps the time of the last sign of life (a data
 * change or a keep-alive) for the line's own watchdog. Its events come on Milo's threads.
 */
final class ReadySubscription {

  interface Events {
    void changed();

    /**
     * @param rebuild the subscription is gone or dead and must be made anew
     */
    void trouble(String why, boolean rebuild);
  }

  private final OpcUaSubscription subscription;
  private volatile long lastSignOfLife = System.nanoTime();
  private volatile boolean lastReportedReady;

  private ReadySubscription(OpcUaSubscription subscription) {
    this.subscription = subscription;
  }

  /**
   * @throws LineProblem the server refuses to monitor the node (e.g. Bad_NodeIdUnknown)
   * @throws UaException the session failed at CreateSubscription or CreateMonitoredItems
   */
  static ReadySubscription create(
      OpcUaClient client,
      NodeId ready,
      String readyName,
      Duration publishingInterval,
      Duration watchdogTimeout,
      Events events)
      throws UaException, LineProblem {
    double interval = publishingInterval.toMillis();
    var subscription = new OpcUaSubscription(client, interval);
    var created = new ReadySubscription(subscription);
    // Keep-alives often enough that the watchdog hears from a healthy subscription in time.
    subscription.setTargetKeepAliveInterval(Math.max(interval, watchdogTimeout.toMillis() / 4.0));
    subscription.setSubscriptionListener(created.listener(events));
    subscription.create();
    OpcUaMonitoredItem item = OpcUaMonitoredItem.newDataItem(ready);
    item.setSamplingInterval(interval);
    item.setQueueSize(uint(1));
    item.setDataValueListener(
        (i, value) -> {
          created.alive();
          created.lastReportedReady = Boolean.TRUE.equals(value.value().value());
          events.changed();
        });
    subscription.addMonitoredItem(item);
    for (MonitoredItemServiceOperationResult result : subscription.createMonitoredItems()) {
      if (!result.serviceResult().isGood()) {
        subscription.deleteAsync();
        throw new UaException(result.serviceResult(), "CreateMonitoredItems failed");
      }
      StatusCode operation = result.operationResult().orElse(StatusCode.BAD);
      if (!operation.isGood()) {
        subscription.deleteAsync();
        throw new LineProblem(
            "cannot subscribe to ready " + readyName + ": " + OpcUaErrors.name(operation));
      }
    }
    created.alive();
    return created;
  }

  /**
   * Whether the last value the server reported was true. The server samples: a Ready that drops and
   * rises again between two samples is never reported, so while this says true, a line that is idle
   * cannot count on a notification for the next batch.
   */
  boolean lastReportedReady() {
    return lastReportedReady;
  }

  /** How long since the last data change or keep-alive. */
  long silentMillis() {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastSignOfLife);
  }

  /** Best effort: a dead session takes its subscriptions with it anyway. */
  void delete() {
    subscription.deleteAsync();
  }

  private void alive() {
    lastSignOfLife = System.nanoTime();
  }

  private OpcUaSubscription.SubscriptionListener listener(Events events) {
    return new OpcUaSubscription.SubscriptionListener() {
      @Override
      public void onDataReceived(
          OpcUaSubscription s, List<OpcUaMonitoredItem> items, List<DataValue> values) {
        alive();
      }

      @Override
      public void onKeepAliveReceived(OpcUaSubscription s) {
        alive();
      }

      @Override
      public void onNotificationDataLost(OpcUaSubscription s) {
        events.trouble("notifications were lost", false);
      }

      @Override
      public void onWatchdogTimerElapsed(OpcUaSubscription s) {
        events.trouble("the subscription's watchdog elapsed", true);
      }

      @Override
      public void onStatusChanged(OpcUaSubscription s, StatusCode status) {
        events.trouble(
            "the subscription's status changed to " + OpcUaErrors.name(status), status.isBad());
      }

      @Override
      public void onTransferFailed(OpcUaSubscription s, StatusCode status) {
        events.trouble(
            "the subscription could not be transferred (" + OpcUaErrors.name(status) + ")", true);
      }
    };
  }
}
