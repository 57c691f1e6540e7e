package dev.linegate.gateway.core;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.spi.AppenderAttachable;
import java.util.Iterator;
import org.slf4j.LoggerFactory;

/**
 * {@code logging.format: json}: every console and file appender of the logging set-up (the built-in
 * one or a {@code -Dlogback.configurationFile}) writes logback's {@link JsonEncoder} output, one
 * object per line, for log shippers. The line and the lot, where known, are in its {@code mdc} (see
 * {@link LogContext}).
 */
public final class JsonLogs {

  private JsonLogs() {}

  public static void apply() {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    encodeAsJson(context, context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME));
  }

  private static void encodeAsJson(
      LoggerContext context, AppenderAttachable<ILoggingEvent> attached) {
    for (Iterator<Appender<ILoggingEvent>> it = attached.iteratorForAppenders(); it.hasNext(); ) {
      Appender<ILoggingEvent> appender = it.next();
      if (appender instanceof OutputStreamAppender<ILoggingEvent> stream) {
        JsonEncoder json = new JsonEncoder();
        json.setContext(context);
        // The message as a person reads it, not its pattern and arguments apart; no logback
        // internals.
        json.setWithFormattedMessage(true);
        json.setWithMessage(false);
        json.setWithArguments(false);
        json.setWithContext(false);
        json.setWithSequenceNumber(false);
        json.setWithNanoseconds(false);
        json.start();
        // Swapped in the running appender, not stopped and started again: a RollingFileAppender
        // that is stopped stops its rolling policy, does not start again, and so logs nothing.
        // Its writer (an AsyncAppender's thread) sees the new encoder through the queue the next
        // event passes.
        stream.setEncoder(json);
      } else if (appender instanceof AppenderAttachable<?> async) {
        // An AsyncAppender (the built-in set-up has one in front of the console) passes events on.
        @SuppressWarnings("unchecked")
        AppenderAttachable<ILoggingEvent> inner = (AppenderAttachable<ILoggingEvent>) async;
        encodeAsJson(context, inner);
      }
    }
  }
}
