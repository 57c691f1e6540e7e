package dev.linegate.simulator.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SubscriptionWatchTest {
  @ParameterizedTest
  @CsvSource({
    "plant/L1/batch-complete, plant/L1/batch-complete, true",
    "plant/+/batch-complete,  plant/L1/batch-complete, true",
    "plant/#,                 plant/L1/batch-complete, true",
    "#,                       plant/L1/batch-complete, true",
    "plant/L1/#,              plant/L1,                true",
    "plant/+,                 plant/L1/batch-complete, false",
    "plant/L2/batch-complete, plant/L1/batch-complete, false",
    "plant/+/batch-complete/x, plant/L1/batch-complete, false",
  })
  void topicFiltersMatchAsMqttSays(String filter, String topic, boolean matches) {
    assertThat(SubscriptionWatch.matches(filter, topic)).isEqualTo(matches);
  }
}
