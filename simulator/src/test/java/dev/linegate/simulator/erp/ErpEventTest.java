package dev.linegate.simulator.erp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** A lot larger than one part of serials is known to the ERP once its last part is in. */
class ErpEventTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void aLotOfOnePartIsCompleteWithItsLotCompleted() throws Exception {
    ErpEvent completed =
        event(
            ErpEvent.LOT_COMPLETED,
            "{\"lot\": \"L1\", \"line\": \"L1\", \"quantity\": 2, \"serials\": [\"S1\", \"S2\"]}");
    assertThat(completed.completesLot()).isTrue();
    assertThat(completed.summary())
        .isEqualTo("dev.linegate.lot.completed lot=L1 line=L1 quantity=2 2 serials");
  }

  @Test
  void aLotInPartsIsCompleteWithItsLastPart() throws Exception {
    ErpEvent completed =
        event(
            ErpEvent.LOT_COMPLETED,
            "{\"lot\": \"L1\", \"line\": \"L1\", \"quantity\": 3, \"serialCount\": 3, \"parts\": 3, \"serials\": [\"S1\"]}");
    ErpEvent second =
        event(
            ErpEvent.LOT_SERIALS,
            "{\"lot\": \"L1\", \"line\": \"L1\", \"part\": 2, \"parts\": 3, \"serials\": [\"S2\"]}");
    ErpEvent last =
        event(
            ErpEvent.LOT_SERIALS,
            "{\"lot\": \"L1\", \"line\": \"L1\", \"part\": 3, \"parts\": 3, \"serials\": [\"S3\"]}");
    assertThat(completed.completesLot()).isFalse();
    assertThat(second.completesLot()).isFalse();
    assertThat(last.completesLot()).isTrue();
    assertThat(completed.summary()).endsWith("quantity=3 1 serials (part 1 of 3)");
    assertThat(last.summary())
        .isEqualTo("dev.linegate.lot.serials lot=L1 line=L1 1 serials (part 3 of 3)");
  }

  @Test
  void otherEventsCompleteNoLot() throws Exception {
    assertThat(
            event("dev.linegate.label.printed", "{\"lot\": \"L1\", \"serials\": [\"S1\"]}")
                .completesLot())
        .isFalse();
  }

  private static ErpEvent event(String type, String data) throws Exception {
    String body =
        "{\"specversion\": \"1.0\", \"id\": \"e1\", \"source\": \"linegate/edge/L1\", \"type\": \""
            + type
            + "\", \"data\": "
            + data
            + "}";
    return new ErpEvent("e1", type, JSON.readTree(body), System.nanoTime(), Instant.now());
  }
}
