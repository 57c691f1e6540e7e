package dev.linegate.gateway.outbox;

/** What became of one attempt to hand an event to the ERP. */
public sealed interface DeliveryResult {

  record Delivered() implements DeliveryResult {}

  /**
   * The ERP could not take it now (down, slow, 408, 429, 5xx, or 401/403: it refuses the gateway's
   * credentials): try again later.
   */
  record Retry(String reason) implements DeliveryResult {}

  /** The ERP refused it for good (another 4xx): a dead letter until an operator sends it again. */
  record Dead(String reason) implements DeliveryResult {}
}
