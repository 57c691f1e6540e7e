package dev.linegate.gateway.config;

import dev.linegate.connectors.Secret;
import java.util.Map;

/**
 * {@code erp.kafka} (SPEC section 13): every event also goes to {@code topic} on the cluster at
 * {@code bootstrap}. {@code properties} go to the Kafka producer as they are (TLS, SASL: their
 * values may be credentials, so they are secrets); the gateway's own settings (idempotence, {@code
 * acks=all}, serializers) cannot be changed through them. {@code concurrency} lots are sent at
 * once, each waiting for its acknowledgment before its next event. {@code maxRequestBytes} is the
 * producer's {@code max.request.size}: no record the gateway makes is larger.
 */
public record KafkaConfig(
    String bootstrap,
    String topic,
    Map<String, Secret> properties,
    int concurrency,
    int maxRequestBytes) {}
