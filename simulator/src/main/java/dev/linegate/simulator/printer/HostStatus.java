package dev.linegate.simulator.printer;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** The printer's answers to host queries, in the framing of the ZPL II manual. */
final class HostStatus {
  private static final char STX = 0x02;
  private static final char ETX = 0x03;
  private static final String CRLF = "\r\n";

  /** Label length in dots the simulated printer reports (a 2 inch label at 203 dpi). */
  private static final int LABEL_LENGTH_DOTS = 406;

  private HostStatus() {}

  /**
   * {@code ~HS}: line 1 {@code aaa,b,c,dddd,eee,f,g,h,iii,j,k,l}, line 2 {@code
   * mmm,n,o,p,q,r,s,t,uuuuuuuu,v,www}, line 3 {@code xxxx,y}; each {@code STX ... ETX CR LF}. As on
   * a real Zebra, {@code eee} counts formats received and not yet started, and {@code uuuuuuuu} the
   * labels left in the {@code ^PQ} batch of the format printing now (0 when idle).
   */
  static byte[] hs(PrintQueue.Snapshot status, boolean partialFormat) {
    PrinterFault fault = status.fault();
    String line1 =
        String.format(
            Locale.ROOT,
            "030,%d,%d,%04d,%03d,0,0,%d,000,0,0,0",
            flag(fault == PrinterFault.PAPER_OUT),
            flag(fault == PrinterFault.PAUSE),
            LABEL_LENGTH_DOTS,
            Math.min(status.formatsInBuffer(), 999),
            flag(partialFormat));
    String line2 =
        String.format(
            Locale.ROOT,
            "001,0,%d,%d,1,2,6,0,%08d,1,000",
            flag(fault == PrinterFault.HEAD_OPEN),
            flag(fault == PrinterFault.RIBBON_OUT),
            Math.min(status.labelsRemaining(), 99_999_999));
    String line3 = "1234,0";
    return (frame(line1) + frame(line2) + frame(line3)).getBytes(StandardCharsets.US_ASCII);
  }

  /**
   * {@code ~HQES}: error bits in the last group (1 media out, 2 ribbon out, 4 head open). Unlike
   * {@code ~HS} it is answered in every state: it exists to report errors.
   */
  static byte[] hqes(PrintQueue.Snapshot status) {
    int errors =
        switch (status.fault()) {
          case PAPER_OUT -> 1;
          case RIBBON_OUT -> 2;
          case HEAD_OPEN -> 4;
          default -> 0;
        };
    String body =
        CRLF
            + "  PRINTER STATUS"
            + CRLF
            + String.format(
                Locale.ROOT, "   ERRORS:         %d 00000000 %08X", errors == 0 ? 0 : 1, errors)
            + CRLF
            + "   WARNINGS:       0 00000000 00000000"
            + CRLF;
    return frame(body).getBytes(StandardCharsets.US_ASCII);
  }

  private static String frame(String line) {
    return STX + line + ETX + CRLF;
  }

  private static int flag(boolean set) {
    return set ? 1 : 0;
  }
}
