package dev.linegate.gateway.api;

/** An answer other than success, rendered as {@code {"error": ..., "detail": ...}}. */
final class ApiError extends RuntimeException {

  private final int status;
  private final String detail;

  ApiError(int status, String error, String detail) {
    super(error);
    this.status = status;
    this.detail = detail;
  }

  int status() {
    return status;
  }

  String detail() {
    return detail;
  }
}
