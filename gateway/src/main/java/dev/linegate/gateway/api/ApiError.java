package dev.linegate.gateway.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;

/**
 * An answer other than success, rendered as {@code {"error": ..., "detail": ...}} and, where the
 * refusal has figures of its own (a lot's counts), their fields.
 */
final class ApiError extends RuntimeException {

  private final int status;
  private final String detail;
  private final Optional<ObjectNode> fields;

  ApiError(int status, String error, String detail) {
    this(status, error, detail, Optional.empty());
  }

  ApiError(int status, String error, String detail, Optional<ObjectNode> fields) {
    super(error);
    this.status = status;
    this.detail = detail;
    this.fields = fields;
  }

  Optional<ObjectNode> fields() {
    return fields;
  }

  int status() {
    return status;
  }

  String detail() {
    return detail;
  }
}
