package dev.linegate.connectors.opcua;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.UaRuntimeException;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;

/** Milo's failures as one readable line: the status code's name first, then what it says. */
final class OpcUaErrors {

  private OpcUaErrors() {}

  /** {@code Bad_NodeIdUnknown} and the like; the hex value when the code has no name. */
  static String name(StatusCode status) {
    return StatusCodes.lookup(status.value())
        .map(nameAndDescription -> nameAndDescription[0])
        .orElse(String.format("0x%08X", status.value()));
  }

  static String describe(Throwable error) {
    Throwable e = unwrap(error);
    StatusCode status = statusOf(e);
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    StringBuilder text = new StringBuilder();
    if (status != null) {
      String name = name(status);
      text.append(name);
      if (!message.contains(name)) {
        text.append(": ").append(message);
      }
    } else {
      text.append(message);
    }
    if (root != e && root.getMessage() != null && text.indexOf(root.getMessage()) < 0) {
      text.append(" (")
          .append(root.getClass().getSimpleName())
          .append(": ")
          .append(root.getMessage())
          .append(')');
    }
    return text.toString();
  }

  static StatusCode statusOf(Throwable error) {
    Throwable e = unwrap(error);
    while (e != null) {
      if (e instanceof UaException ua) {
        return ua.getStatusCode();
      }
      if (e instanceof UaRuntimeException ua) {
        return ua.getStatusCode();
      }
      e = e.getCause();
    }
    return null;
  }

  static Throwable unwrap(Throwable error) {
    Throwable e = error;
    while ((e instanceof CompletionException || e instanceof ExecutionException)
        && e.getCause() != null) {
      e = e.getCause();
    }
    return e;
  }
}
