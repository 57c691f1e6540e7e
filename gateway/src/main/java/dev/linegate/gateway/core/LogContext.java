package dev.linegate.gateway.core;

import java.util.Optional;
import org.slf4j.MDC;

/**
 * The line and the lot a log line is about, in SLF4J's MDC for as long as it is open (JSON logs
 * carry them as {@code mdc.line} and {@code mdc.lot}). One place puts and clears them, so that none
 * is left behind on a pooled thread for the next piece of work.
 */
public final class LogContext implements AutoCloseable {

  private static final LogContext OPEN = new LogContext();

  private LogContext() {}

  public static LogContext of(String line, Optional<String> lot) {
    MDC.put("line", line);
    lot.ifPresentOrElse(l -> MDC.put("lot", l), () -> MDC.remove("lot"));
    return OPEN;
  }

  @Override
  public void close() {
    MDC.remove("line");
    MDC.remove("lot");
  }
}
