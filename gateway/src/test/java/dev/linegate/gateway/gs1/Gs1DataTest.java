package dev.linegate.gateway.gs1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class Gs1DataTest {

  private static final String GS = Gs1Data.GS;

  /** DOMAIN section 4's example, set in a scrambled order: the model must put it right. */
  private static Gs1Data domainExample() {
    return Gs1Data.builder()
        .serial("A1B2C3D4E5F6")
        .lot("L126327001")
        .expiryDate(LocalDate.of(2028, 11, 22))
        .gtin("09506000134352")
        .build();
  }

  @Test
  void elementStringPutsFixedLengthFieldsFirstAndSeparatesOnlyVariableOnesThatAreNotLast() {
    assertThat(domainExample().elementString(GS))
        .isEqualTo("0109506000134352" + "17281122" + "10L126327001" + GS + "21A1B2C3D4E5F6");
  }

  @Test
  void elementStringTakesTheCarriersSeparatorSuchAsZplsFnc1() {
    // The label generator passes ^BX's escape "_1"; the leading FNC1 stays the caller's.
    assertThat(domainExample().elementString("_1"))
        .isEqualTo("0109506000134352" + "17281122" + "10L126327001" + "_1" + "21A1B2C3D4E5F6");
  }

  @Test
  void everyVariableFieldButTheLastIsFollowedBySeparator() {
    Gs1Data data =
        Gs1Data.builder().count(12).sscc("123456789012345675").lot("L1").serial("S1").build();
    assertThat(data.elementString("|")).isEqualTo("00123456789012345675" + "10L1|21S1|3712");
  }

  @Test
  void humanReadableBracketsEveryAiInCanonicalOrder() {
    assertThat(domainExample().humanReadable())
        .isEqualTo("(01)09506000134352(17)281122(10)L126327001(21)A1B2C3D4E5F6");
  }

  @Test
  void digitalLinkPutsKeyLotAndSerialInThePathAndTheRestInTheQuery() {
    Gs1Data data =
        Gs1Data.builder()
            .gtin("09506000134352")
            .lot("L126327001")
            .serial("A1B2C3")
            .expiryDate(LocalDate.of(2028, 11, 22))
            .build();
    assertThat(data.digitalLink("https://id.gs1.org"))
        .isEqualTo("https://id.gs1.org/01/09506000134352/10/L126327001/21/A1B2C3?17=281122");
    assertThat(data.digitalLink("https://example.com/dl/"))
        .isEqualTo("https://example.com/dl/01/09506000134352/10/L126327001/21/A1B2C3?17=281122");
  }

  @Test
  void digitalLinkPercentEncodesCset82PunctuationThatIsNotSafeInAUri() {
    Gs1Data data =
        Gs1Data.builder()
            .gtin("09506000134352")
            .lot("A/B%C+D")
            .serial("x.y-z_1")
            .count(5)
            .productionDate(LocalDate.of(2026, 1, 2))
            .build();
    assertThat(data.digitalLink("https://id.gs1.org"))
        .isEqualTo(
            "https://id.gs1.org/01/09506000134352/10/A%2FB%25C%2BD/21/x.y-z_1?11=260102&37=5");
  }

  @Test
  void digitalLinkOfAnSsccHasNoPathQualifiers() {
    Gs1Data data = Gs1Data.builder().sscc("123456789012345675").count(40).build();
    assertThat(data.digitalLink("https://id.gs1.org"))
        .isEqualTo("https://id.gs1.org/00/123456789012345675?37=40");
  }

  @Test
  void digitalLinkNeedsExactlyOneKeyAndAWebBase() {
    assertThatThrownBy(() -> Gs1Data.builder().lot("L1").build().digitalLink("https://id.gs1.org"))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(
            () ->
                Gs1Data.builder()
                    .gtin("09506000134352")
                    .sscc("123456789012345675")
                    .build()
                    .digitalLink("https://id.gs1.org"))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> domainExample().digitalLink("id.gs1.org"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @CsvSource({
    "12345670, 00000012345670",
    "036000291452, 00036000291452",
    "9521234543213, 09521234543213",
    "09506000134352, 09506000134352"
  })
  void builderPadsShortGtinsTo14Digits(String given, String expected) {
    assertThat(Gs1Data.builder().gtin(given).build().gtin()).contains(expected);
  }

  @Test
  void builderRefusesInvalidValuesWithTheOperatorsReason() {
    assertThatThrownBy(() -> Gs1Data.builder().gtin("09506000134353"))
        .hasMessage("check digit of GTIN 09506000134353 is wrong: expected 2");
    assertThatThrownBy(() -> Gs1Data.builder().lot("L 1"))
        .hasMessage("lot \"L 1\" has a character GS1 does not allow: space");
    assertThatThrownBy(() -> Gs1Data.builder().serial("123456789012345678901"))
        .hasMessage("serial is 21 characters, at most 20");
    assertThatThrownBy(() -> Gs1Data.builder().count(-1))
        .hasMessage("count must be digits: \"-1\"");
    assertThatThrownBy(() -> Gs1Data.builder().expiryDate(LocalDate.of(1999, 12, 31)))
        .hasMessage("year 1999 does not fit YYMMDD (2000-2099)");
    assertThatThrownBy(() -> Gs1Data.builder().build())
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void orderOfConstructionDoesNotMatterAndRepeatedAisAreRefused() {
    Gs1Element gtin = new Gs1Element(Gs1Ai.GTIN, "09506000134352");
    Gs1Element lot = new Gs1Element(Gs1Ai.LOT, "L1");
    Gs1Element expiry = new Gs1Element(Gs1Ai.EXPIRY_DATE, "281122");
    assertThat(new Gs1Data(List.of(lot, expiry, gtin)))
        .isEqualTo(new Gs1Data(List.of(gtin, expiry, lot)));
    assertThat(new Gs1Data(List.of(lot, expiry, gtin)).elements())
        .containsExactly(gtin, expiry, lot);
    assertThatThrownBy(() -> new Gs1Data(List.of(lot, new Gs1Element(Gs1Ai.LOT, "L2"))))
        .hasMessage("AI (10) appears twice");
  }

  @ParameterizedTest
  @CsvSource({
    "281122, 2028-11-22",
    "280200, 2028-02-29",
    "270200, 2027-02-28",
    "301200, 2030-12-31"
  })
  void expiryDayZeroMeansTheLastDayOfTheMonth(String yymmdd, LocalDate expected) {
    Gs1Data data = new Gs1Data(List.of(new Gs1Element(Gs1Ai.EXPIRY_DATE, yymmdd)));
    assertThat(data.expiryDate()).contains(expected);
  }

  @Test
  void typedAccessorsReadTheirAiAndAreEmptyWhenItIsAbsent() {
    Gs1Data data =
        Gs1Data.builder()
            .gtin("09506000134352")
            .productionDate(LocalDate.of(2026, 3, 4))
            .count(12)
            .build();
    assertThat(data.productionDate()).contains(LocalDate.of(2026, 3, 4));
    assertThat(data.value(Gs1Ai.PRODUCTION_DATE)).contains("260304");
    assertThat(data.count()).contains(12);
    assertThat(data.lot()).isEmpty();
    assertThat(data.expiryDate()).isEmpty();
    assertThat(data.sscc()).isEmpty();
  }

  @ParameterizedTest
  @CsvSource({
    "00, true, 18",
    "01, true, 14",
    "11, true, 6",
    "17, true, 6",
    "10, false, 20",
    "21, false, 20",
    "37, false, 8"
  })
  void eachAiKnowsWhetherItHasAPredefinedLength(String code, boolean predefined, int maxLength) {
    Gs1Ai ai = Gs1Ai.byCode(code).orElseThrow();
    assertThat(ai.predefinedLength()).isEqualTo(predefined);
    assertThat(ai.maxLength()).isEqualTo(maxLength);
  }
}
