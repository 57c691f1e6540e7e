package dev.linegate.gateway.outbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * GS1's ratified EPCIS 2.0 JSON schema ({@code EPCIS-JSON-Schema.json} of the repository {@code
 * gs1/EPCIS}, draft-07), with the {@code uri} and {@code date-time} formats asserted, which
 * draft-07 leaves to the validator.
 */
public final class EpcisSchema {

  private static final Schema SCHEMA = load();

  private EpcisSchema() {}

  /** What is wrong with {@code document}: nothing when it validates. */
  public static List<String> problems(JsonNode document) {
    return SCHEMA
        .validate(
            document,
            context -> context.executionConfig(config -> config.formatAssertionsEnabled(true)))
        .stream()
        .map(Error::toString)
        .toList();
  }

  private static Schema load() {
    try (InputStream schema =
        EpcisSchema.class.getResourceAsStream("/epcis/EPCIS-JSON-Schema.json")) {
      return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7).getSchema(schema);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
