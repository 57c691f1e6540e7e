package dev.linegate.simulator.printer;

import dev.linegate.simulator.ControlPort;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * A Zebra-like label printer. It takes ZPL on any number of serial ports and TCP ports, prints into
 * a list of {@link PrintedLabel}s, and answers {@code ~HS} and {@code ~HQES}. Faults, speed and
 * power can be switched at any time, from any thread, or over HTTP ({@link #serveControl}).
 *
 * <pre>{@code
 * try (var cable = VirtualSerialPair.create(dir, "zebra");
 *     var printer = SimulatedPrinter.start()) {
 *   printer.listenSerial(cable.b());          // the gateway opens cable.a()
 *   int port = printer.listenTcp(0);          // or tcp://127.0.0.1:port
 *   ...
 *   printer.labels();
 * }
 * }</pre>
 */
public final class SimulatedPrinter implements AutoCloseable {
  private static final long TIMEOUT_SECONDS = 10;

  private final PrintQueue queue = new PrintQueue("printer");
  private final List<SerialEndpoint> serialPorts = new CopyOnWriteArrayList<>();
  private final List<TcpEndpoint> tcpPorts = new CopyOnWriteArrayList<>();
  private volatile boolean powered = true;
  private @Nullable Vertx vertx;

  private SimulatedPrinter() {}

  /**
   * A printer with no interface yet: add them with {@link #listenSerial} and {@link #listenTcp}.
   */
  public static SimulatedPrinter start() {
    return new SimulatedPrinter();
  }

  /**
   * Reads ZPL from the serial device at {@code path} (for instance one end of a {@link
   * dev.linegate.simulator.serial.VirtualSerialPair}); returns once it is open. If the device
   * disappears later, the printer opens it again when it is back.
   */
  public SimulatedPrinter listenSerial(Path path) {
    var endpoint = new SerialEndpoint(path, this::newSession, () -> powered);
    serialPorts.add(endpoint);
    try {
      if (!endpoint.awaitOpen(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        throw new IllegalStateException(
            "printer could not open serial port " + path + " within " + TIMEOUT_SECONDS + " s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while opening " + path, e);
    }
    return this;
  }

  /** Listens on 127.0.0.1; port 0 picks a free one. Returns the port. */
  public int listenTcp(int port) {
    return listenTcp("127.0.0.1", port);
  }

  public int listenTcp(String host, int port) {
    try {
      var endpoint = new TcpEndpoint(InetAddress.getByName(host), port, this::newSession);
      tcpPorts.add(endpoint);
      return endpoint.port();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Serves the HTTP control API of {@link PrinterControl} on {@code host:port}; returns the port.
   */
  public synchronized int serveControl(String host, int port) {
    if (vertx == null) {
      vertx = Vertx.vertx();
    }
    return ControlPort.listen(
        vertx, new PrinterControl(vertx, this).router(), "printer", host, port);
  }

  /** Labels printed so far (since start or the last {@link #clearLabels()}), in print order. */
  public List<PrintedLabel> labels() {
    return queue.printed();
  }

  public void clearLabels() {
    queue.clearPrinted();
  }

  /**
   * Labels received but not printed yet (every copy of every format counts). Not the {@code ~HS}
   * field of that name, which counts only the batch being printed.
   */
  public int labelsRemaining() {
    return queue.snapshot().labelsPending();
  }

  public PrinterFault fault() {
    return queue.fault();
  }

  /**
   * Stops printing ({@code NONE} resumes it); in paper out, head open, ribbon out: no ~HS answer.
   */
  public void fault(PrinterFault fault) {
    queue.fault(fault);
  }

  /** 0 prints each label the moment it arrives. */
  public void speed(double labelsPerSecond) {
    queue.speed(labelsPerSecond);
  }

  public boolean connected() {
    return powered;
  }

  /**
   * As if switched off: no answers, no printing, TCP ports closed, serial input dropped. Labels
   * already buffered stay buffered and print after {@link #connect()}.
   */
  public void disconnect() {
    powered = false;
    queue.powered(false);
    tcpPorts.forEach(TcpEndpoint::powerOff);
  }

  /** Switched on again: TCP ports listen again on the same ports. */
  public void connect() {
    for (TcpEndpoint endpoint : tcpPorts) {
      try {
        endpoint.powerOn();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    queue.powered(true);
    powered = true;
  }

  @Override
  public synchronized void close() {
    tcpPorts.forEach(TcpEndpoint::close);
    serialPorts.forEach(SerialEndpoint::close);
    queue.close();
    if (vertx != null) {
      try {
        vertx
            .close()
            .toCompletionStage()
            .toCompletableFuture()
            .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      } catch (ExecutionException | TimeoutException e) {
        // Closing anyway; nothing of the printer depends on it.
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private PrinterSession newSession() {
    return new PrinterSession(queue);
  }
}
