package dev.linegate.connectors.tls;

/** A TLS file that cannot be used: its message names the file and why, never a password. */
public final class TlsException extends Exception {

  public TlsException(String message) {
    super(message);
  }

  public TlsException(String message, Throwable cause) {
    super(message, cause);
  }
}
