package dev.linegate.connectors.opcua;

import static org.assertj.core.api.Assertions.assertThat;
import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.ubyte;
import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;
import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.ulong;
import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.ushort;

import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The batch JSON must show the PLC's values as they were, so the gateway can judge them. */
class BatchPayloadTest {

  static Stream<Arguments> quantities() {
    return Stream.of(
        Arguments.of(new Variant((byte) -3), "-3"),
        Arguments.of(new Variant(ubyte(200)), "200"),
        Arguments.of(new Variant((short) -300), "-300"),
        Arguments.of(new Variant(ushort(60_000)), "60000"),
        Arguments.of(new Variant(24), "24"),
        Arguments.of(new Variant(uint(4_000_000_000L)), "4000000000"),
        Arguments.of(new Variant(9_000_000_000L), "9000000000"),
        Arguments.of(new Variant(ulong(Long.MAX_VALUE)), "9223372036854775807"),
        Arguments.of(new Variant(24.0), "24.0"),
        Arguments.of(new Variant(2.5f), "2.5"),
        Arguments.of(new Variant(Double.NaN), "\"NaN\""),
        Arguments.of(new Variant("24"), "\"24\""),
        Arguments.of(new Variant(true), "true"),
        Arguments.of(new Variant(new int[] {1, 2}), "[1, 2]"),
        Arguments.of(Variant.NULL_VALUE, "null"));
  }

  @ParameterizedTest
  @MethodSource("quantities")
  void aQuantityKeepsItsJsonType(Variant quantity, String json) {
    assertThat(
            payload(
                new DataValue(new Variant("B-1")),
                new DataValue(new Variant("P")),
                new DataValue(quantity)))
        .isEqualTo("{\"batchId\": \"B-1\", \"product\": \"P\", \"quantity\": " + json + "}");
  }

  @Test
  void stringsAreEscaped() {
    assertThat(
            payload(
                new DataValue(new Variant("a\"b\\c\nd\u0001")),
                new DataValue(new Variant("P")),
                new DataValue(new Variant(1))))
        .isEqualTo(
            "{\"batchId\": \"a\\\"b\\\\c\\nd\\u0001\", \"product\": \"P\", \"quantity\": 1}");
  }

  @Test
  void badStatusCodesAreListedByField() {
    var bad = new DataValue(Variant.NULL_VALUE, new StatusCode(StatusCodes.Bad_SensorFailure));
    var uncertain =
        new DataValue(new Variant("P"), new StatusCode(StatusCodes.Uncertain_LastUsableValue));
    assertThat(payload(bad, uncertain, new DataValue(new Variant(1))))
        .isEqualTo(
            "{\"batchId\": null, \"product\": \"P\", \"quantity\": 1, \"badStatus\": {\"batchId\": \"Bad_SensorFailure\"}}");
  }

  private static String payload(DataValue batchId, DataValue product, DataValue quantity) {
    return new String(BatchPayload.json(batchId, product, quantity), StandardCharsets.UTF_8);
  }
}
