package dev.linegate.gateway.gs1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class Gs1ParserTest {

  private static final String GS = Gs1Data.GS;
  private static final String DOMAIN_ELEMENT_STRING =
      "0109506000134352" + "17281122" + "10L126327001" + GS + "21A1B2C3D4E5F6";
  private static final String DOMAIN_HRI =
      "(01)09506000134352(17)281122(10)L126327001(21)A1B2C3D4E5F6";

  /**
   * Scans as scanners send them (terminator stripped or not), the symbology, and the data as
   * human-readable text.
   */
  static Stream<Arguments> validScans() {
    return Stream.of(
        Arguments.of("]d2" + DOMAIN_ELEMENT_STRING, Symbology.GS1_DATAMATRIX, DOMAIN_HRI),
        Arguments.of(DOMAIN_ELEMENT_STRING, Symbology.NONE, DOMAIN_HRI),
        Arguments.of(GS + DOMAIN_ELEMENT_STRING, Symbology.NONE, DOMAIN_HRI),
        Arguments.of("]d2" + GS + DOMAIN_ELEMENT_STRING, Symbology.GS1_DATAMATRIX, DOMAIN_HRI),
        Arguments.of("]d2" + DOMAIN_ELEMENT_STRING + "\r", Symbology.GS1_DATAMATRIX, DOMAIN_HRI),
        Arguments.of("\n]d2" + DOMAIN_ELEMENT_STRING, Symbology.GS1_DATAMATRIX, DOMAIN_HRI),
        Arguments.of("]d2" + DOMAIN_ELEMENT_STRING + "\r\n", Symbology.GS1_DATAMATRIX, DOMAIN_HRI),
        Arguments.of(
            "]Q3" + "10L126327001" + GS + "0109506000134352" + "17281122",
            Symbology.GS1_QR,
            "(01)09506000134352(17)281122(10)L126327001"),
        Arguments.of(
            "]d2" + "0109506000134352" + GS + "10LOT" + GS,
            Symbology.GS1_DATAMATRIX,
            "(01)09506000134352(10)LOT"),
        Arguments.of("]C1" + "00123456789012345675", Symbology.GS1_128, "(00)123456789012345675"),
        Arguments.of(
            "]C1" + "00123456789012345675" + "3712",
            Symbology.GS1_128,
            "(00)123456789012345675(37)12"),
        Arguments.of(
            "]e0" + "0109521234543213" + "11260304",
            Symbology.GS1_DATABAR,
            "(01)09521234543213(11)260304"),
        Arguments.of(
            "0109506000134352" + "17281100", Symbology.NONE, "(01)09506000134352(17)281100"),
        Arguments.of("10" + "!\"%&'()*+,-./:;<=>?_", Symbology.NONE, "(10)!\"%&'()*+,-./:;<=>?_"),
        Arguments.of("17281122", Symbology.NONE, "(17)281122"),
        Arguments.of("96385074", Symbology.NONE, "(01)00000096385074"),
        Arguments.of(DOMAIN_HRI, Symbology.NONE, DOMAIN_HRI),
        Arguments.of("(01) 09506000134352 (10) L1", Symbology.NONE, "(01)09506000134352(10)L1"),
        Arguments.of("(10)a(1)b", Symbology.NONE, "(10)a(1)b"),
        Arguments.of(
            "https://id.gs1.org/01/09506000134352/10/L126327001/21/A1B2C3?17=281122",
            Symbology.NONE,
            "(01)09506000134352(17)281122(10)L126327001(21)A1B2C3"),
        Arguments.of(
            "]Q1" + "https://id.gs1.org/01/09506000134352/10/L1",
            Symbology.QR,
            "(01)09506000134352(10)L1"),
        Arguments.of(
            "]d1"
                + "http://example.com/shop/01/09521234543213/21/X%2F1/?linkType=gs1:pip&17=300100#top",
            Symbology.DATAMATRIX, "(01)09521234543213(17)300100(21)X/1"),
        Arguments.of("HTTPS://EXAMPLE.COM/01/9521234543213", Symbology.NONE, "(01)09521234543213"),
        Arguments.of(
            "https://id.gs1.org/00/123456789012345675?37=40",
            Symbology.NONE,
            "(00)123456789012345675(37)40"),
        Arguments.of("]E0" + "9521234543213", Symbology.EAN_13, "(01)09521234543213"),
        Arguments.of("]E0" + "1234567890128", Symbology.EAN_13, "(01)01234567890128"),
        Arguments.of("]E0" + "036000291452", Symbology.EAN_13, "(01)00036000291452"),
        Arguments.of("]E4" + "96385074", Symbology.EAN_8, "(01)00000096385074"),
        Arguments.of("1234567890128\r", Symbology.NONE, "(01)01234567890128"));
  }

  @ParameterizedTest
  @MethodSource("validScans")
  void readsEveryFormScannersSend(String scan, Symbology symbology, String expected)
      throws Gs1Exception {
    Gs1Scan result = Gs1Parser.parse(scan);
    assertThat(result.symbology()).isEqualTo(symbology);
    assertThat(result.data().humanReadable()).isEqualTo(expected);
  }

  /** Refused scans and the reason the operator sees. */
  static Stream<Arguments> invalidScans() {
    return Stream.of(
        Arguments.of("0109506000134353", "check digit of GTIN 09506000134353 is wrong: expected 2"),
        Arguments.of(
            "]C1" + "00123456789012345670",
            "check digit of SSCC 123456789012345670 is wrong: expected 5"),
        Arguments.of(
            "]d2" + "010950600013435" + GS + "10L1",
            "GTIN must be 14 digits, not 13: \"0950600013435\""),
        Arguments.of("010950600013435A", "GTIN must be digits: \"0950600013435A\""),
        Arguments.of("10L 1", "lot \"L 1\" has a character GS1 does not allow: space"),
        Arguments.of(
            "0109506000134352" + "21A#1", "serial \"A#1\" has a character GS1 does not allow: '#'"),
        Arguments.of(
            "17281300", "expiry date 281300 is not a valid date (YYMMDD, day 00 = end of month)"),
        Arguments.of(
            "0109506000134352" + "17270229",
            "expiry date 270229 is not a valid date (YYMMDD, day 00 = end of month)"),
        Arguments.of(
            "0109506000134352" + "11281100", "production date 281100 is not a valid date (YYMMDD)"),
        Arguments.of(
            "0109506000134352" + "1728112", "expiry date must be 6 digits (YYMMDD): \"28112\""),
        Arguments.of(
            "0109506000134352" + "10L126327001" + "21A1B2C3D4E5F6",
            "lot is 24 characters, at most 20: separator missing after it?"),
        Arguments.of("0109506000134352" + "10" + GS + "21S1", "lot is empty"),
        Arguments.of("0109506000134352" + "10A" + GS + "10B", "AI (10) appears twice"),
        Arguments.of("0109506000134352" + "0109506000134352", "AI (01) appears twice"),
        Arguments.of("0109506000134352" + "X", "unexpected \"X\" after (01)"),
        Arguments.of("0109506000134352" + "9", "unexpected \"9\" after (01)"),
        Arguments.of("0109506000134352" + "3103000500", "unsupported AI at \"3103000500\""),
        Arguments.of(
            "37123456789", "count is 9 characters, at most 8: separator missing after it?"),
        Arguments.of("(37)123456789", "count is 9 digits, at most 8"),
        Arguments.of("00123456789012345675" + "3712a", "count must be digits: \"12a\""),
        Arguments.of("HELLO WORLD", "no GS1 data: \"HELLO WORLD\""),
        Arguments.of("", "no GS1 data: empty scan"),
        Arguments.of("\r\n", "no GS1 data: empty scan"),
        Arguments.of("]d2", "no GS1 data: empty scan"),
        Arguments.of("]d2" + "ABC" + GS + "DEF", "no GS1 data: \"ABC<GS>DEF\""),
        Arguments.of(
            "]d1" + "0109506000134352", "no GS1 data: plain DataMatrix (]d1), not a GS1 bar code"),
        Arguments.of("]A0" + "HELLO", "no GS1 data: other symbology (]A0), not a GS1 bar code"),
        Arguments.of("]E0" + "123", "EAN-13/UPC-A must be 12 or 13 digits: \"123\""),
        Arguments.of(
            "]E0" + "9521234543210", "check digit of GTIN 09521234543210 is wrong: expected 3"),
        Arguments.of("(01)0950600013435", "GTIN must be 14 digits, not 13: \"0950600013435\""),
        Arguments.of("(01)09506000134352(99)1", "unsupported AI (99)"),
        Arguments.of("(01)09506000134352(10)", "lot is empty"),
        Arguments.of("(01)09506000134352(17)281122(17)281123", "AI (17) appears twice"),
        Arguments.of(
            "https://example.com/products/123",
            "no GS1 data: web address without a GTIN or SSCC: \"https://example.com/products/123\""),
        Arguments.of(
            "https://id.gs1.org/01/09506000134352?17=281399",
            "expiry date 281399 is not a valid date (YYMMDD, day 00 = end of month)"),
        Arguments.of(
            "https://id.gs1.org/01/09506000134352/10/A%2", "bad %-escape in Digital Link: \"A%2\""),
        Arguments.of(
            "https://id.gs1.org/01/09506000134352?3103=000500",
            "unsupported AI (3103) in Digital Link"),
        Arguments.of("https://id.gs1.org/01/09506000134352/10/A?10=B", "AI (10) appears twice"),
        Arguments.of(
            "https://id.gs1.org/01/09506000134353",
            "check digit of GTIN 09506000134353 is wrong: expected 2"));
  }

  @ParameterizedTest
  @MethodSource("invalidScans")
  void refusesWithAReasonAnOperatorCanActOn(String scan, String reason) {
    assertThatThrownBy(() -> Gs1Parser.parse(scan))
        .isInstanceOf(Gs1Exception.class)
        .hasMessage(reason);
  }

  @Test
  void aLongGarbageScanIsCutShortInTheReason() {
    assertThatThrownBy(() -> Gs1Parser.parse("X".repeat(200)))
        .isInstanceOfSatisfying(
            Gs1Exception.class,
            e -> assertThat(e.reason()).isEqualTo("no GS1 data: \"" + "X".repeat(40) + "…\""));
  }

  @Test
  void expiryDayZeroIsReadAsTheEndOfTheMonth() throws Gs1Exception {
    Gs1Data data = Gs1Parser.parse("]d2" + "0109506000134352" + "17280200" + "10L1").data();
    assertThat(data.expiryDate()).contains(LocalDate.of(2028, 2, 29));
    assertThat(data.value(Gs1Ai.EXPIRY_DATE)).contains("280200");
  }

  /** Label data as the lead's code will build it, for the round trips. */
  static Stream<Gs1Data> labels() {
    return Stream.of(
        Gs1Data.builder()
            .gtin("09506000134352")
            .lot("L126327001")
            .serial("A1B2C3D4E5F6")
            .expiryDate(LocalDate.of(2028, 11, 22))
            .build(),
        Gs1Data.builder()
            .gtin("9521234543213")
            .productionDate(LocalDate.of(2026, 1, 31))
            .expiryDate(LocalDate.of(2027, 1, 31))
            .lot("a(1)b")
            .build(),
        Gs1Data.builder()
            .gtin("09506000134352")
            .lot("!\"%&'*+,-./:;<=>?_")
            .serial("12345678901234567890")
            .count(99_999_999)
            .build(),
        Gs1Data.builder().sscc("123456789012345675").count(48).build(),
        Gs1Data.builder().gtin("09506000134352").build());
  }

  @ParameterizedTest
  @MethodSource("labels")
  void elementStringWithGsReadsBackToTheSameData(Gs1Data label) throws Gs1Exception {
    assertThat(Gs1Parser.parse(label.elementString(GS)).data()).isEqualTo(label);
    assertThat(Gs1Parser.parse("]d2" + label.elementString(GS) + "\r").data()).isEqualTo(label);
  }

  @ParameterizedTest
  @MethodSource("labels")
  void humanReadableReadsBackToTheSameData(Gs1Data label) throws Gs1Exception {
    assertThat(Gs1Parser.parse(label.humanReadable()).data()).isEqualTo(label);
  }

  @ParameterizedTest
  @MethodSource("labels")
  void digitalLinkReadsBackToTheSameData(Gs1Data label) throws Gs1Exception {
    assertThat(Gs1Parser.parse("]Q1" + label.digitalLink("https://id.gs1.org")).data())
        .isEqualTo(label);
    assertThat(Gs1Parser.parse(label.digitalLink("http://brand.example/gs1/")).data())
        .isEqualTo(label);
  }
}
