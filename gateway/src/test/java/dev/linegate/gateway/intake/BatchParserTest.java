package dev.linegate.gateway.intake;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.linegate.gateway.config.LineConfig;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BatchParserTest {

  private static final LineConfig L1 =
      new LineConfig(
          "L1",
          null,
          Set.of(),
          LineConfig.Labels.NONE,
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          Optional.empty());
  private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
  private final BatchParser parser =
      new BatchParser(
          new ObjectMapper(),
          Set.of("WIDGET-100", "GADGET-7"),
          new BatchDates(Map.of("WIDGET-100", 730, "GADGET-7", 30), ZoneOffset.UTC));

  @Test
  void aGoodBatchIsReadWithItsCompletionTime() {
    BatchParser.Parsed parsed =
        parse(
            "{\"batchId\": \"B-000123\", \"product\": \"WIDGET-100\", \"quantity\": 24, \"completedAt\": \"2026-11-23T10:15:00Z\", \"shift\": 2}");
    assertThat(parsed.request())
        .contains(
            new BatchRequest(
                "B-000123",
                "WIDGET-100",
                24,
                Optional.of(Instant.parse("2026-11-23T10:15:00Z")),
                LocalDate.parse("2026-11-23"),
                LocalDate.parse("2028-11-22")));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "{not json                                                        | malformed JSON",
        "[1, 2]                                                           | must be a JSON object",
        "{\"product\": \"WIDGET-100\", \"quantity\": 1}                   | batchId is missing",
        "{\"batchId\": \"\", \"product\": \"WIDGET-100\", \"quantity\": 1}  | batchId must be a string of 1 to 64",
        "{\"batchId\": 17, \"product\": \"WIDGET-100\", \"quantity\": 1}    | batchId must be a string",
        "{\"batchId\": \"B\", \"quantity\": 1}                            | product is missing",
        "{\"batchId\": \"B\", \"product\": \"NOPE\", \"quantity\": 1}       | unknown product \"NOPE\"",
        "{\"batchId\": \"B\", \"product\": \"WIDGET-100\"}                 | quantity is missing",
        "{\"batchId\": \"B\", \"product\": \"WIDGET-100\", \"quantity\": 0}         | quantity 0 is out of range 1..1000000",
        "{\"batchId\": \"B\", \"product\": \"WIDGET-100\", \"quantity\": -1}        | quantity -1 is out of range 1..1000000",
        "{\"batchId\": \"B\", \"product\": \"WIDGET-100\", \"quantity\": 10000000}  | quantity 10000000 is out of range 1..1000000",
        "{\"batchId\": \"B\", \"product\": \"WIDGET-100\", \"quantity\": 99999999999999999999} | is out of range",
        "{\"batchId\": \"B\", \"product\": \"WIDGET-100\", \"quantity\": \"abc\"}   | quantity must be a whole number, not \"abc\"",
        "{\"batchId\": \"B\", \"product\": \"WIDGET-100\", \"quantity\": 2.5}       | quantity must be a whole number, not 2.5",
        "{\"batchId\": \"B\", \"product\": \"WIDGET-100\", \"quantity\": 2, \"completedAt\": \"yesterday\"} | completedAt must be an ISO-8601 time",
        "{\"batchId\": \"B\", \"product\": \"WIDGET-100\", \"quantity\": null, \"badStatus\": {\"quantity\": \"Bad_NotReadable\"}} | read with a Bad status: quantity Bad_NotReadable",
      })
  void badSignalsAreRejectedWithTheirReason(String payload, String reason) {
    BatchParser.Parsed parsed = parse(payload);
    assertThat(parsed.request()).isEmpty();
    assertThat(parsed.reason()).contains(reason);
  }

  /** Reasons are stored, served and logged: a huge value is quoted by its start and its length. */
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "batchId     | {\"batchId\": \"%s\", \"product\": \"WIDGET-100\", \"quantity\": 1}                       | batchId must be a string of 1 to 64 characters, not \"AAAA",
        "product     | {\"batchId\": \"B\", \"product\": \"%s\", \"quantity\": 1}                                  | unknown product \"AAAA",
        "quantity    | {\"batchId\": \"B\", \"product\": \"WIDGET-100\", \"quantity\": \"%s\"}                       | quantity must be a whole number, not \"AAAA",
        "completedAt | {\"batchId\": \"B\", \"product\": \"WIDGET-100\", \"quantity\": 1, \"completedAt\": \"%s\"} | completedAt must be an ISO-8601 time",
        "badStatus   | {\"batchId\": \"B\", \"badStatus\": {\"quantity\": \"%s\"}}                                    | read with a Bad status: quantity AAAA",
        "array       | {\"batchId\": \"B\", \"product\": \"WIDGET-100\", \"quantity\": [\"%s\"]}                     | quantity must be a whole number, not [\"AAAA",
      })
  void aHugeValueIsQuotedByItsStartAndItsLength(String field, String template, String reason) {
    BatchParser.Parsed parsed = parse(template.formatted("A".repeat(1_000_000)));
    assertThat(parsed.request()).isEmpty();
    assertThat(parsed.reason())
        .contains(reason)
        .contains("AAAA...")
        .containsPattern("\\((1,000,00[0-9]|1,000,01[0-9]) characters\\)")
        .hasSizeLessThan(400);
  }

  @Test
  void malformedJsonQuotesABoundedPartOfItsToken() {
    BatchParser.Parsed parsed = parse("{\"batchId\": " + "A".repeat(1_000_000) + "}");
    assertThat(parsed.reason())
        .startsWith("malformed JSON: Unrecognized token 'AAAA")
        .hasSizeLessThan(600);
  }

  @Test
  void aShortValueIsQuotedWhole() {
    assertThat(
            parse(
                    "{\"batchId\": \"%s\", \"product\": \"WIDGET-100\", \"quantity\": 1}"
                        .formatted("B".repeat(65)))
                .reason())
        .isEqualTo(
            "batchId must be a string of 1 to 64 characters, not \"" + "B".repeat(65) + "\"");
  }

  @Test
  void aProductTheLineDoesNotMakeIsRejected() {
    LineConfig onlyGadgets =
        new LineConfig(
            "L2",
            null,
            Set.of("GADGET-7"),
            LineConfig.Labels.NONE,
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty());
    BatchParser.Parsed parsed =
        parser.parse(
            onlyGadgets,
            "{\"batchId\": \"B\", \"product\": \"WIDGET-100\", \"quantity\": 1}"
                .getBytes(StandardCharsets.UTF_8),
            NOW);
    assertThat(parsed.reason()).contains("not made on line L2");
  }

  /**
   * Received on 2026-11-23: GS1 readers place YYMMDD dates from 2000 (the rule: 1977) to 2076 in
   * the right century.
   */
  @ParameterizedTest(name = "{0} {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "WIDGET-100 | +999999999-12-31T23:59:59Z      | completedAt +999999999-12-31T23:59:59Z is out of range: production date +999999999-12-31 is not between 2000-01-01 and 2076-12-31, the dates a GS1 label (YYMMDD) can carry",
        "WIDGET-100 | +999999999-12-31T23:59:59-18:00 | completedAt +999999999-12-31T23:59:59-18:00 is out of range: its production date in time zone Z is not between 2000-01-01 and 2076-12-31",
        "WIDGET-100 | -999999999-01-01T00:00:00Z      | production date -999999999-01-01 is not between 2000-01-01 and 2076-12-31",
        "WIDGET-100 | 1999-12-31T23:59:59Z            | production date 1999-12-31 is not between 2000-01-01 and 2076-12-31",
        "WIDGET-100 | 2098-06-01T10:00:00Z            | production date 2098-06-01 is not between",
        "WIDGET-100 | 2075-06-01T10:00:00Z            | completedAt 2075-06-01T10:00:00Z is out of range: expiry date 2077-05-31 (production date 2075-06-01 + 730 days of WIDGET-100) is not between 2000-01-01 and 2076-12-31",
        "GADGET-7   | 2076-12-02T00:00:00Z            | expiry date 2077-01-01 (production date 2076-12-02 + 30 days of GADGET-7) is not between",
      })
  void aDateNoLabelCanCarryIsRejectedSayingWhichDate(
      String product, String completedAt, String reason) {
    BatchParser.Parsed parsed =
        parse(
            "{\"batchId\": \"B\", \"product\": \""
                + product
                + "\", \"quantity\": 2, \"completedAt\": \""
                + completedAt
                + "\"}");
    assertThat(parsed.request()).isEmpty();
    assertThat(parsed.reason()).contains(reason);
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "GADGET-7 | 2000-01-01T00:00:00Z | 2000-01-31",
        "GADGET-7 | 2076-12-01T00:00:00Z | 2076-12-31"
      })
  void theFirstAndLastDatesALabelCanCarryAreAccepted(
      String product, String completedAt, String expiry) {
    BatchParser.Parsed parsed =
        parse(
            "{\"batchId\": \"B\", \"product\": \""
                + product
                + "\", \"quantity\": 2, \"completedAt\": \""
                + completedAt
                + "\"}");
    assertThat(parsed.request()).map(BatchRequest::expiryDate).contains(LocalDate.parse(expiry));
  }

  /**
   * An industrial PC whose clock battery died starts in 1970: its own date is no production date
   * either.
   */
  @Test
  void withoutCompletedAtTheGatewaysClockIsJudgedToo() {
    BatchParser.Parsed parsed =
        parser.parse(
            L1,
            "{\"batchId\": \"B\", \"product\": \"WIDGET-100\", \"quantity\": 2}"
                .getBytes(StandardCharsets.UTF_8),
            Instant.EPOCH);
    assertThat(parsed.reason())
        .isEqualTo(
            "the gateway's clock (1970-01-01T00:00:00Z) is out of range: production date 1970-01-01 is not between 2000-01-01 and 2020-12-31, the dates a GS1 label (YYMMDD) can carry");
    assertThat(
            parser
                .parse(
                    L1,
                    "{\"batchId\": \"B\", \"product\": \"WIDGET-100\", \"quantity\": 2}"
                        .getBytes(StandardCharsets.UTF_8),
                    NOW)
                .request())
        .map(BatchRequest::productionDate)
        .contains(LocalDate.parse("2026-11-23"));
  }

  private BatchParser.Parsed parse(String payload) {
    return parser.parse(L1, payload.getBytes(StandardCharsets.UTF_8), NOW);
  }
}
