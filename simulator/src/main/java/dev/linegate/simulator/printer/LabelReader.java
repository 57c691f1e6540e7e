package dev.linegate.simulator.printer;

import dev.linegate.simulator.printer.Barcode.Symbology;
import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Reads a format ({@code ^XA ... ^XZ}) the way the printer lays it out: each field, from its {@code
 * ^FO}/{@code ^FT} to {@code ^FS}, is a text or, after a {@code ^B} command, a bar code. Unknown
 * commands are skipped, as a printer skips what it does not know. Field data is decoded in the
 * order a Zebra does: {@code ^FH} hex escapes first, then the bar code's own escapes.
 */
final class LabelReader {

  private LabelReader() {}

  static LabelContent read(String zpl) {
    return new Reading(zpl).run();
  }

  /** The state of one pass over a format. */
  private static final class Reading {
    private final String zpl;
    private final List<String> texts = new ArrayList<>();
    private final List<Barcode> barcodes = new ArrayList<>();
    private int copies = 1;
    private Charset charset = StandardCharsets.ISO_8859_1;

    // The field being built; reset by ^FS.
    private @Nullable String barcodeCommand;
    private String[] barcodeParams = new String[0];
    private @Nullable Character hexIndicator;
    private @Nullable String fieldData;

    Reading(String zpl) {
      this.zpl = zpl;
    }

    LabelContent run() {
      int at = nextCommand(0);
      while (at >= 0 && at + 3 <= zpl.length()) {
        String code = zpl.substring(at + 1, at + 3).toUpperCase(Locale.ROOT);
        int paramsStart = at + 3;
        if (code.equals("FD")) {
          int end = zpl.indexOf("^FS", paramsStart);
          int stop = end < 0 ? zpl.length() : end;
          fieldData = zpl.substring(paramsStart, stop);
          at = end < 0 ? -1 : end;
          continue;
        }
        int next = nextCommand(paramsStart);
        command(code, zpl.substring(paramsStart, next < 0 ? zpl.length() : next));
        at = next;
      }
      return new LabelContent(texts, barcodes, copies, zpl);
    }

    private void command(String code, String params) {
      switch (code) {
        case "FS" -> endField();
        case "FH" -> hexIndicator = params.isEmpty() ? '_' : params.charAt(0);
        case "PQ" -> copies = Math.max(1, intParam(params.split(",", -1)[0], 1));
        case "CI" -> charset = params.startsWith("28") ? StandardCharsets.UTF_8 : charset;
        default -> {
          if (code.charAt(0) == 'B' && !code.equals("BY")) {
            barcodeCommand = code;
            barcodeParams = params.split(",", -1);
          }
        }
      }
    }

    private void endField() {
      String data = fieldData;
      if (data != null) {
        String decoded = decode(data, hexIndicator, charset);
        if (barcodeCommand == null) {
          texts.add(decoded);
        } else {
          barcodes.add(barcode(barcodeCommand, barcodeParams, decoded));
        }
      }
      barcodeCommand = null;
      barcodeParams = new String[0];
      hexIndicator = null;
      fieldData = null;
    }

    private int nextCommand(int from) {
      for (int i = from; i < zpl.length(); i++) {
        char c = zpl.charAt(i);
        if (c == '^' || c == '~') {
          return i;
        }
      }
      return -1;
    }
  }

  private static Barcode barcode(String command, String[] params, String data) {
    return switch (command) {
      case "BX" -> Gs1Symbols.dataMatrix(param(params, 6).orElse("~").charAt(0), data);
      case "BC" -> Gs1Symbols.code128(param(params, 5).orElse("N"), data);
      case "BQ" -> new Barcode(Symbology.QR, false, data, data);
      default -> new Barcode(Symbology.OTHER, false, data, data);
    };
  }

  private static Optional<String> param(String[] params, int index) {
    return index < params.length && !params[index].isEmpty()
        ? Optional.of(params[index])
        : Optional.empty();
  }

  private static int intParam(String text, int fallback) {
    try {
      return Integer.parseInt(text.trim());
    } catch (NumberFormatException e) {
      return fallback;
    }
  }

  /**
   * Field data as the printer's code page reads it; with {@code ^FH}, the indicator and two hex
   * digits stand for one byte.
   */
  static String decode(String data, @Nullable Character indicator, Charset charset) {
    var bytes = new ByteArrayOutputStream();
    for (int i = 0; i < data.length(); i++) {
      char c = data.charAt(i);
      if (indicator != null && c == indicator && isHex(data, i + 1) && isHex(data, i + 2)) {
        bytes.write(Integer.parseInt(data.substring(i + 1, i + 3), 16));
        i += 2;
      } else {
        bytes.write(c & 0xFF);
      }
    }
    return new String(bytes.toByteArray(), charset);
  }

  private static boolean isHex(String s, int i) {
    return i < s.length() && Character.digit(s.charAt(i), 16) >= 0;
  }
}
