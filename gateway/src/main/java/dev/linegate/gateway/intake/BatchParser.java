package dev.linegate.gateway.intake;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.linegate.gateway.config.LineConfig;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.Set;

/**
 * Judges a batch-complete payload (SPEC section 3) and says exactly what is wrong with a bad one.
 */
final class BatchParser {

  static final int MAX_QUANTITY = 1_000_000;
  private static final int MAX_BATCH_ID = 64;

  /** Either a request or the reason it is rejected. */
  record Parsed(Optional<BatchRequest> request, String reason) {

    static Parsed rejected(String reason) {
      return new Parsed(Optional.empty(), reason);
    }
  }

  private final ObjectMapper json;
  private final Set<String> products;
  private final BatchDates dates;

  BatchParser(ObjectMapper json, Set<String> products, BatchDates dates) {
    this.json = json;
    this.products = products;
    this.dates = dates;
  }

  /**
   * {@code receivedAt}: the gateway's clock, which dates a batch whose signal has no {@code
   * completedAt}.
   */
  Parsed parse(LineConfig line, byte[] payload, Instant receivedAt) {
    JsonNode message;
    try {
      message = json.readTree(payload);
    } catch (JacksonException e) {
      // Jackson names its redacted source in the location; the raw payload is kept beside the
      // reason
      // anyway. It bounds what it quotes of the input itself (the token at 256 characters).
      return Parsed.rejected(
          "malformed JSON: " + e.getOriginalMessage().replaceAll("\\[Source: [^;]*; ", "["));
    } catch (java.io.IOException e) {
      return Parsed.rejected("unreadable payload: " + Quoted.text(String.valueOf(e.getMessage())));
    }
    if (message == null || !message.isObject()) {
      return Parsed.rejected("payload must be a JSON object with batchId, product and quantity");
    }
    JsonNode badStatus = message.get("badStatus");
    if (badStatus != null && badStatus.isObject() && badStatus.size() > 0) {
      // An OPC UA read whose value the server itself marked as unusable.
      StringBuilder fields = new StringBuilder();
      badStatus
          .fields()
          .forEachRemaining(
              f ->
                  fields
                      .append(fields.length() == 0 ? "" : ", ")
                      .append(f.getKey())
                      .append(" ")
                      .append(f.getValue().asText()));
      return Parsed.rejected("read with a Bad status: " + Quoted.text(fields.toString()));
    }
    JsonNode batchId = message.get("batchId");
    if (batchId == null || batchId.isNull()) {
      return Parsed.rejected("batchId is missing");
    }
    if (!batchId.isTextual()
        || batchId.asText().isBlank()
        || batchId.asText().length() > MAX_BATCH_ID) {
      return Parsed.rejected(
          "batchId must be a string of 1 to "
              + MAX_BATCH_ID
              + " characters, not "
              + Quoted.of(batchId));
    }
    JsonNode product = message.get("product");
    if (product == null || product.isNull()) {
      return Parsed.rejected("product is missing");
    }
    if (!product.isTextual() || !products.contains(product.asText())) {
      return Parsed.rejected(
          "unknown product "
              + Quoted.of(product)
              + " (configured: "
              + String.join(", ", new java.util.TreeSet<>(products))
              + ")");
    }
    if (!line.makes(product.asText())) {
      return Parsed.rejected(
          "product "
              + product
              + " is not made on line "
              + line.id()
              + " (lines[].products: "
              + String.join(", ", new java.util.TreeSet<>(line.products()))
              + ")");
    }
    JsonNode quantity = message.get("quantity");
    if (quantity == null || quantity.isNull()) {
      return Parsed.rejected("quantity is missing");
    }
    if (!quantity.isIntegralNumber()) {
      return Parsed.rejected("quantity must be a whole number, not " + Quoted.of(quantity));
    }
    if (!quantity.canConvertToLong() || quantity.asLong() < 1 || quantity.asLong() > MAX_QUANTITY) {
      return Parsed.rejected(
          "quantity " + Quoted.of(quantity) + " is out of range 1.." + MAX_QUANTITY);
    }
    Optional<Instant> completedAt = Optional.empty();
    JsonNode completed = message.get("completedAt");
    if (completed != null && !completed.isNull()) {
      try {
        completedAt = Optional.of(OffsetDateTime.parse(completed.asText()).toInstant());
      } catch (DateTimeException e) {
        return Parsed.rejected(
            "completedAt must be an ISO-8601 time with offset, e.g. 2026-11-23T10:15:00Z, not "
                + Quoted.of(completed));
      }
    }
    BatchDates.Judged judged =
        dates.judge(product.asText(), completedAt.orElse(receivedAt), receivedAt);
    if (judged.dates().isEmpty()) {
      // Quoted as given: it parsed as an ISO-8601 time, so it is short.
      String source =
          completedAt.isPresent()
              ? "completedAt " + completed.asText()
              : "the gateway's clock (" + receivedAt + ")";
      return Parsed.rejected(source + " is out of range: " + judged.problem());
    }
    BatchDates.Dates batchDates = judged.dates().get();
    return new Parsed(
        Optional.of(
            new BatchRequest(
                batchId.asText(),
                product.asText(),
                quantity.asInt(),
                completedAt,
                batchDates.production(),
                batchDates.expiry())),
        "");
  }
}
