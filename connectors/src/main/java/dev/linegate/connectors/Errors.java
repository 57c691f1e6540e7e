package dev.linegate.connectors;

/** How a connector names a failure in /health and its log: one line, with the root cause. */
public final class Errors {

  private Errors() {}

  public static String describe(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return root == e
        ? message
        : message + " (" + root.getClass().getSimpleName() + ": " + root.getMessage() + ")";
  }
}
