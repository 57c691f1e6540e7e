package dev.linegate.gateway.printing;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.EncodeHintType;
import com.google.zxing.MultiFormatWriter;
import com.google.zxing.WriterException;
import com.google.zxing.client.j2se.MatrixToImageWriter;
import com.google.zxing.common.BitMatrix;
import dev.linegate.gateway.gs1.Gs1Data;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * A picture of a label for the operator: the same GS1 data in the same symbology as the printed
 * label (GS1 DataMatrix for a unit, GS1-128 for a lot) and its text. It is drawn here, not by a ZPL
 * renderer, so it shows what the data is rather than the template's layout.
 */
public final class LabelPreview {

  private static final int WIDTH = 812;
  private static final int HEIGHT = 406;
  private static final String GS = "\u001D";

  private LabelPreview() {}

  public static byte[] png(LabelData label) {
    Gs1Data gs1 = LabelFields.gs1(label);
    BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    try {
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, WIDTH, HEIGHT);
      g.setRenderingHint(
          RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      List<String> text =
          new ArrayList<>(
              List.of(
                  label.product(),
                  "GTIN " + label.gtin(),
                  "LOT " + label.lot(),
                  "EXP " + label.expiryDate()));
      int textX;
      if (label.serial().isPresent()) {
        text.add("SN " + label.serial().get());
        BitMatrix symbol = encode(BarcodeFormat.DATA_MATRIX, gs1.elementString(GS), 240, 240);
        g.drawImage(MatrixToImageWriter.toBufferedImage(symbol), 30, 40, null);
        textX = 300;
      } else {
        text.add("QTY " + label.quantity() + "   PROD " + label.productionDate());
        BitMatrix symbol = encode(BarcodeFormat.CODE_128, gs1.elementString(GS), WIDTH - 60, 110);
        g.drawImage(MatrixToImageWriter.toBufferedImage(symbol), 30, 200, null);
        textX = 30;
      }
      g.setColor(Color.BLACK);
      g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 30));
      int y = 60;
      for (String line : text) {
        g.drawString(line, textX, y);
        y += 34;
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 24));
      }
      g.setFont(new Font(Font.MONOSPACED, Font.PLAIN, 20));
      g.drawString(gs1.humanReadable(), 30, HEIGHT - 30);
    } finally {
      g.dispose();
    }
    ByteArrayOutputStream png = new ByteArrayOutputStream(16_384);
    try {
      ImageIO.write(image, "png", png);
    } catch (IOException e) {
      throw new UncheckedIOException("writing to memory cannot fail", e);
    }
    return png.toByteArray();
  }

  private static BitMatrix encode(
      BarcodeFormat format, String elementString, int width, int height) {
    try {
      return new MultiFormatWriter()
          .encode(
              elementString,
              format,
              width,
              height,
              Map.of(EncodeHintType.GS1_FORMAT, true, EncodeHintType.MARGIN, 2));
    } catch (WriterException e) {
      throw new IllegalArgumentException(
          "cannot encode " + elementString + " as " + format + ": " + e.getMessage(), e);
    }
  }
}
