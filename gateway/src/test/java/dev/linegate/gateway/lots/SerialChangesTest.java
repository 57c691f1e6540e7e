package dev.linegate.gateway.lots;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.linegate.gateway.auth.Actor;
import dev.linegate.gateway.auth.Role;
import dev.linegate.gateway.config.LineConfig;
import dev.linegate.gateway.config.ProductConfig;
import dev.linegate.gateway.numbering.Counters;
import dev.linegate.gateway.outbox.Outbox;
import dev.linegate.gateway.printing.PrintQueueTest;
import dev.linegate.gateway.store.Refused;
import dev.linegate.gateway.store.TestStore;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SerialChangesTest {

  private static final LineConfig L1 =
      new LineConfig(
          "L1",
          null,
          Set.of(),
          LineConfig.Labels.UNIT,
          Optional.of("P1"),
          Optional.empty(),
          Optional.empty(),
          Optional.empty());

  @TempDir Path dir;
  private TestStore store;

  @BeforeEach
  void open() throws Exception {
    store = new TestStore(dir);
  }

  @AfterEach
  void close() throws Exception {
    store.close();
  }

  /** A refusal comes before any write: the writer commits what a refused change wrote. */
  @Test
  void aScrapRefusedForWantOfAReplacementSerialLeavesTheSerialAsItWas() throws Exception {
    store.write(tx -> PrintQueueTest.lot(tx, 1, "LOT1", 2));
    store.write(tx -> tx.createStatement().executeUpdate("UPDATE serials SET status = 'printed'"));
    ProductConfig pooled =
        new ProductConfig(
            "WIDGET-100",
            "09506000134352",
            730,
            new ProductConfig.SerialSpec(
                ProductConfig.SerialMode.RANDOM,
                12,
                ProductConfig.Alphabet.NUMERIC,
                Optional.of(new ProductConfig.PoolSpec("l4", 0, 10, 0, 10)),
                ProductConfig.Reprint.NEW_SERIAL),
            Optional.empty());
    Counters counters = store.write(tx -> Counters.open(tx, dir));
    SerialChanges changes =
        new SerialChanges(
            Map.of("L1", L1),
            Map.of("WIDGET-100", pooled),
            counters,
            store.writer(),
            new Outbox(new ObjectMapper(), "edge-test", List.of("http")),
            () -> {});

    Refused refused =
        catchThrowableOfType(
            Refused.class,
            () ->
                changes.change(
                    "S1-1",
                    Optional.empty(),
                    SerialFate.SCRAP,
                    "torn",
                    new Actor("op-olga", Role.OPERATOR, Optional.empty())));

    assertThat(refused.getMessage()).isEqualTo("no serial for the replacement label");
    assertThat(store.text("SELECT status FROM serials WHERE serial = 'S1-1'")).isEqualTo("printed");
    assertThat(store.text("SELECT count(*) FROM serial_status_changes")).isEqualTo("0");
    assertThat(store.text("SELECT count(*) FROM outbox")).isEqualTo("0");
  }
}
