package dev.linegate.connectors.batch;

import java.util.Optional;

/**
 * Tells the source what became of a signal. {@link #committed} is called only after the commit:
 * this is what lets the PLC or the broker forget the batch.
 */
public interface BatchAcknowledgment {

  /**
   * @param lot the lot assigned to the batch, empty when the signal was rejected
   */
  void committed(Optional<String> lot);

  /** The signal could not be stored; the source should have it delivered again. */
  void failed(Throwable cause);
}
