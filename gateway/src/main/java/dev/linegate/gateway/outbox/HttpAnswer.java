package dev.linegate.gateway.outbox;

/**
 * What an HTTP peer's answer to an event means, the same for the ERP and the EPCIS repository
 * (README "The ERP side"): 2xx delivered; 401 and 403 refuse the gateway's credentials, which every
 * event would meet alike, so the output pauses and probes instead of filling the dead letters; 408,
 * 429 and 5xx are tried again; any other status is about this event, a dead letter.
 */
final class HttpAnswer {

  private HttpAnswer() {}

  /**
   * @param peer who answered, for the reason: {@code the ERP}
   * @param credentials where the credentials are configured: {@code erp.headers}
   */
  static DeliveryResult of(int status, String body, String peer, String credentials) {
    if (status / 100 == 2) {
      return new DeliveryResult.Delivered();
    }
    if (status == 401 || status == 403) {
      return new DeliveryResult.Retry(
          "HTTP "
              + status
              + ": "
              + peer
              + " refuses the gateway's credentials ("
              + credentials
              + ")");
    }
    String answer = "HTTP " + status + " " + abbreviate(body);
    boolean permanent = status >= 400 && status < 500 && status != 408 && status != 429;
    return permanent ? new DeliveryResult.Dead(answer) : new DeliveryResult.Retry(answer);
  }

  /** A failure without an answer (refused, timed out): its root cause, to try again. */
  static DeliveryResult.Retry failed(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return new DeliveryResult.Retry(root.getClass().getSimpleName() + ": " + root.getMessage());
  }

  /** At most 500 characters of a peer's text, for a reason or a log line. */
  static String abbreviate(String text) {
    if (text == null) {
      return "";
    }
    return text.length() > 500 ? text.substring(0, 500) + "..." : text;
  }
}
