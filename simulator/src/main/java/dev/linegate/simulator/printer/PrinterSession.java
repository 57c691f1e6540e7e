package dev.linegate.simulator.printer;

import java.io.ByteArrayOutputStream;

/**
 * One host's byte stream (a serial line, or one TCP connection): labels go to the shared print
 * queue, host queries are answered on the same stream.
 */
final class PrinterSession {
  private final PrintQueue queue;
  private final ZplStream stream = new ZplStream();

  PrinterSession(PrintQueue queue) {
    this.queue = queue;
  }

  /** Takes what arrived; returns what to write back (often nothing). */
  byte[] receive(byte[] bytes, int length) {
    var answer = new ByteArrayOutputStream();
    for (ZplStream.Piece piece : stream.feed(bytes, length)) {
      if (piece instanceof ZplStream.Format format) {
        queue.submit(LabelReader.read(format.zpl()));
      } else if (piece instanceof ZplStream.Query query) {
        answer.writeBytes(answer(query.command()));
      }
    }
    return answer.toByteArray();
  }

  private byte[] answer(String command) {
    PrintQueue.Snapshot status = queue.snapshot();
    if (command.equals("HQES")) {
      return HostStatus.hqes(status);
    }
    return status.fault().silencesHostStatus()
        ? new byte[0]
        : HostStatus.hs(status, stream.partialFormat());
  }
}
