package dev.linegate.gateway.pools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.linegate.connectors.Secret;
import dev.linegate.gateway.config.GatewayConfig.SerialProviderConfig;
import dev.linegate.gateway.config.ProductConfig;
import dev.linegate.gateway.config.ProductConfig.Alphabet;
import dev.linegate.gateway.config.ProductConfig.SerialMode;
import dev.linegate.gateway.config.ProductConfig.SerialSpec;
import dev.linegate.simulator.l4.SimulatedL4;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The provider protocol against the simulator's L4 over HTTP, its faults included. */
class SerialProviderTest {

  private static final String GTIN = "09506000134352";
  private static final SerialSpec FORMAT =
      new SerialSpec(
          SerialMode.RANDOM,
          12,
          Alphabet.NUMERIC,
          Optional.empty(),
          ProductConfig.Reprint.SAME_SERIAL);

  @Test
  void aPagedRequestAnswersTheSameSerialsEveryTimeItIsAskedAndFaultsAreFailuresThatSayWhy()
      throws Exception {
    try (SimulatedL4 l4 = SimulatedL4.start("127.0.0.1", 0, 40)) {
      SerialProvider provider =
          new SerialProvider(
              new SerialProviderConfig(
                  "l4", URI.create(l4.url()), Map.of("Authorization", new Secret("Bearer s3cret"))),
              "edge-01");
      List<String> first = all(provider, "r-1", 100);
      assertThat(first).hasSize(100).doesNotHaveDuplicates();
      assertThat(all(provider, "r-1", 100))
          .as("the same requestId, the same serials")
          .isEqualTo(first);
      assertThat(all(provider, "r-2", 100)).doesNotContainAnyElementsOf(first);

      l4.cap(GTIN, 250);
      SerialProvider.Page partial = provider.first("r-3", GTIN, 100, FORMAT);
      assertThat(partial.filled()).isFalse();

      l4.respondWith(503);
      SerialProvider.Failure down =
          catchThrowableOfType(
              SerialProvider.Failure.class, () -> provider.first("r-4", GTIN, 10, FORMAT));
      assertThat(down.getMessage()).contains("answered HTTP 503").doesNotContain("s3cret");
      l4.respondWithGarbage();
      assertThat(
              catchThrowableOfType(
                      SerialProvider.Failure.class, () -> provider.first("r-4", GTIN, 10, FORMAT))
                  .getMessage())
          .contains("not JSON");
      l4.refuseConnections();
      assertThat(
              catchThrowableOfType(
                      SerialProvider.Failure.class, () -> provider.first("r-4", GTIN, 10, FORMAT))
                  .getMessage())
          .contains("unreachable");
      l4.behaveNormally();
      assertThat(provider.giveBack("g-1", GTIN, first.subList(0, 5))).isEqualTo(5);
    }
  }

  private static List<String> all(SerialProvider provider, String requestId, int count)
      throws Exception {
    List<String> serials = new ArrayList<>();
    SerialProvider.Page page = provider.first(requestId, GTIN, count, FORMAT);
    serials.addAll(page.serials());
    while (page.next().isPresent()) {
      page = provider.next(requestId, page.next().get());
      serials.addAll(page.serials());
    }
    return serials;
  }
}
