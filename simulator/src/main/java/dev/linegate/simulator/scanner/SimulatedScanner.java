package dev.linegate.simulator.scanner;

import dev.linegate.simulator.ControlPort;
import dev.linegate.simulator.printer.Barcode;
import dev.linegate.simulator.printer.PrintedLabel;
import dev.linegate.simulator.printer.SimulatedPrinter;
import dev.linegate.simulator.scanner.ScanBack.Outcome;
import io.vertx.core.Vertx;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * A barcode scanner on a serial line, as at an operator station: each scan is the code, with an AIM
 * identifier first when those are on, and the terminator. It can read back what the simulated
 * printer printed, with no-reads and misreads drawn from a seeded random, and send noise.
 *
 * <pre>{@code
 * try (var cable = VirtualSerialPair.create(dir, "scanner");
 *     var scanner = SimulatedScanner.open(cable.b(), ScannerSettings.DEFAULT.withAim("]d2"))) {
 *   scanner.scan("0109506000134352" + "10LOT" + "\u001d" + "21SER");   // the gateway opens cable.a()
 * }
 * }</pre>
 *
 * <p>Or behind a serial device server: {@link #listenTcp} (the gateway connects to {@link
 * #endpoint()}).
 *
 * <p>It keeps its end open across a pulled cable and opens it again when the cable is back; a scan
 * while the cable is out (or no gateway is connected) fails with {@link IllegalStateException}.
 * Thread-safe.
 */
public final class SimulatedScanner implements AutoCloseable {
  private static final long TIMEOUT_SECONDS = 10;
  private static final char GS = 0x1D;

  /** What a misread turns a character into: scanners misread within the symbol's character set. */
  private static final String MISREAD_CHARACTERS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";

  private static final int MAX_GARBAGE = 32;

  private final ScannerSettings settings;
  private final Random random;
  private final ScannerLine line;
  private @Nullable Vertx vertx;

  private SimulatedScanner(ScannerLine line, ScannerSettings settings) {
    this.settings = settings;
    this.random = new Random(settings.seed());
    this.line = line;
  }

  /**
   * Opens the serial device at {@code path} (one end of a {@link
   * dev.linegate.simulator.serial.VirtualSerialPair}, say); returns once it is open.
   */
  public static SimulatedScanner open(Path path, ScannerSettings settings) {
    return new SimulatedScanner(SerialLine.open(path, TIMEOUT_SECONDS, TimeUnit.SECONDS), settings);
  }

  /**
   * Listens on 127.0.0.1:{@code port} (0: a free port) as a scanner behind a serial device server
   * does; the gateway's {@code scanners[].port} is {@link #endpoint()}.
   */
  public static SimulatedScanner listenTcp(int port, ScannerSettings settings) throws IOException {
    return new SimulatedScanner(TcpLine.listen(InetAddress.getLoopbackAddress(), port), settings);
  }

  public ScannerSettings settings() {
    return settings;
  }

  /** Where it is: the serial device it has open, or {@code tcp://host:port} where it listens. */
  public String endpoint() {
    return line.endpoint();
  }

  /**
   * The gateway's end is there: the serial port is open (false while the cable is out, until it is
   * back and opened again), or the gateway is connected over TCP.
   */
  public boolean connected() {
    return line.connected();
  }

  /**
   * Sends {@code code} with the terminator, after the configured AIM identifier when AIM is on.
   *
   * @return what was sent, without the terminator
   */
  public String scan(String code) {
    return send(settings.aim().map(aim -> aim + code).orElse(code));
  }

  /** As {@link #scan(String)}, for a code of the symbology {@code aimId} names. */
  public String scanAs(String aimId, String code) {
    return send(settings.aim().isPresent() ? aimId + code : code);
  }

  /**
   * Reads back the printed labels, one scan per label (its first bar code): with AIM on, each with
   * the identifier of its symbology. Some are not read or misread, as {@code rates} says, drawn
   * from this scanner's seeded random.
   */
  public synchronized List<ScanBack> scanBack(List<PrintedLabel> labels, ReadRates rates) {
    var results = new ArrayList<ScanBack>(labels.size());
    for (PrintedLabel label : labels) {
      if (label.barcodes().isEmpty()) {
        results.add(
            new ScanBack(label.sequence(), Outcome.NO_BARCODE, Optional.empty(), Optional.empty()));
        continue;
      }
      Barcode barcode = label.barcodes().get(0);
      Optional<String> printed = Optional.of(barcode.data());
      if (random.nextDouble() < rates.noRead()) {
        results.add(new ScanBack(label.sequence(), Outcome.NO_READ, printed, Optional.empty()));
        continue;
      }
      String data = barcode.data();
      Outcome outcome = Outcome.READ;
      if (random.nextDouble() < rates.misread()) {
        Optional<String> changed = misread(data);
        if (changed.isPresent()) {
          data = changed.get();
          outcome = Outcome.MISREAD;
        }
      }
      String aim = settings.aim().isPresent() ? Aim.of(barcode).orElse("") : "";
      results.add(new ScanBack(label.sequence(), outcome, printed, Optional.of(send(aim + data))));
    }
    return results;
  }

  /** Reads back everything {@code printer} has printed so far. */
  public List<ScanBack> scanBack(SimulatedPrinter printer, ReadRates rates) {
    return scanBack(printer.labels(), rates);
  }

  /**
   * A garbled read, as from a damaged label or line noise: 1 to 32 random bytes (any but CR and
   * LF), then the terminator.
   *
   * @return the random bytes
   */
  public synchronized byte[] garbage() {
    byte[] noise = new byte[1 + random.nextInt(MAX_GARBAGE)];
    for (int i = 0; i < noise.length; i++) {
      byte b;
      do {
        b = (byte) random.nextInt(256);
      } while (b == '\r' || b == '\n');
      noise[i] = b;
    }
    var bytes = new ByteArrayOutputStream();
    bytes.writeBytes(noise);
    bytes.writeBytes(settings.terminator().bytes());
    write(bytes.toByteArray());
    return noise;
  }

  /**
   * Sends {@code bytes} as they are, in one write: no terminator added. For tests of the other
   * end's framing (a scan split over several writes, several in one, none at all).
   */
  public void sendRaw(byte[] bytes) {
    write(bytes.clone());
  }

  /**
   * Serves the HTTP control API of {@link ScannerControl} on {@code host:port}; returns the port.
   */
  public synchronized int serveControl(String host, int port) {
    if (vertx == null) {
      vertx = Vertx.vertx();
    }
    return ControlPort.listen(
        vertx, new ScannerControl(vertx, this).router(), "scanner", host, port);
  }

  @Override
  public synchronized void close() {
    line.close();
    if (vertx != null) {
      try {
        vertx
            .close()
            .toCompletionStage()
            .toCompletableFuture()
            .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      } catch (ExecutionException | TimeoutException e) {
        // Closing anyway; nothing of the scanner depends on it.
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** One character of the data changed (never a GS: a scanner decodes FNC1 reliably). */
  private Optional<String> misread(String data) {
    List<Integer> candidates = new ArrayList<>();
    for (int i = 0; i < data.length(); i++) {
      if (data.charAt(i) != GS) {
        candidates.add(i);
      }
    }
    if (candidates.isEmpty()) {
      return Optional.empty();
    }
    int at = candidates.get(random.nextInt(candidates.size()));
    char replacement;
    do {
      replacement = MISREAD_CHARACTERS.charAt(random.nextInt(MISREAD_CHARACTERS.length()));
    } while (replacement == data.charAt(at));
    return Optional.of(data.substring(0, at) + replacement + data.substring(at + 1));
  }

  /** Sends one scan: text and terminator in one write. Returns the text. */
  private String send(String text) {
    var bytes = new ByteArrayOutputStream();
    bytes.writeBytes(text.getBytes(StandardCharsets.ISO_8859_1));
    bytes.writeBytes(settings.terminator().bytes());
    write(bytes.toByteArray());
    return text;
  }

  private synchronized void write(byte[] bytes) {
    line.write(bytes);
  }
}
