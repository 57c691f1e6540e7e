package dev.linegate.connectors.opcua;

/** A node id or namespace the server does not know: the line waits for it, the session is fine. */
final class LineProblem extends Exception {
  LineProblem(String message) {
    super(message);
  }
}
