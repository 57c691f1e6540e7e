package dev.linegate.gateway.outbox;

/**
 * Where the outbox's events go, each with its own backlog, order, retries and dead letters ({@link
 * OutboxDispatcher}): {@code http} ({@link ErpRoutes}: erp.url or the user's Camel routes), {@code
 * kafka} ({@link KafkaOutput}) and {@code epcis} ({@link EpcisOutput}).
 */
public interface Output extends AutoCloseable {

  /** Its name in the outbox and in {@code /api/outbox?output=}. */
  String name();

  /** What it is called in the log: ERP, Kafka, EPCIS repository. */
  String title();

  /** Its check in {@code /health}. */
  String check();

  /** How many lots are sent at once (order is kept within a lot). */
  int concurrency();

  /** Sends one event, on the calling thread, and says what became of it. */
  DeliveryResult deliver(String eventId, String type, String subject, String payload);

  @Override
  void close();
}
