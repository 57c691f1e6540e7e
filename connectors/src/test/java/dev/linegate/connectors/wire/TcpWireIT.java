package dev.linegate.connectors.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import jdk.net.ExtendedSocketOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * TcpWire against a local server that accepts and then never reads: a printer with a shut window.
 */
class TcpWireIT {
  private static final Duration WRITE_TIMEOUT = Duration.ofMillis(500);

  /** A liveness bound: far above the write timeout, only there so a hang fails the test. */
  private static final Duration HANG = Duration.ofSeconds(10);

  private ServerSocket server;
  private CompletableFuture<Socket> accepted;
  private TcpWire wire;

  @BeforeEach
  void listen() throws IOException {
    server = new ServerSocket();
    server.setReceiveBufferSize(4096);
    server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    accepted =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return server.accept();
              } catch (IOException e) {
                throw new IllegalStateException(e);
              }
            });
    wire =
        TcpWire.connect(
            URI.create("tcp://127.0.0.1:" + server.getLocalPort()),
            Duration.ofSeconds(2),
            WRITE_TIMEOUT);
  }

  @AfterEach
  void stop() throws Exception {
    wire.close();
    accepted.get(5, TimeUnit.SECONDS).close();
    server.close();
  }

  @Test
  void aWriteTheDeviceNeverReadsFailsWithinTheWriteTimeoutAndTheWireIsThenLost() throws Exception {
    wire.write("^XA^XZ".getBytes(StandardCharsets.US_ASCII));
    byte[] big = new byte[64 * 1024 * 1024];

    long start = System.nanoTime();
    assertTimeoutPreemptively(
        HANG,
        () ->
            assertThatThrownBy(() -> wire.write(big))
                .isInstanceOf(Wire.StalledException.class)
                .hasMessageContaining("took no data for 500 ms"));
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(WRITE_TIMEOUT);

    assertThatThrownBy(() -> wire.write(new byte[] {'x'}))
        .isInstanceOf(IOException.class)
        .isNotInstanceOf(Wire.StalledException.class)
        .hasMessageContaining("closed after a stalled write");
  }

  /** A device gone without a reset is noticed by keepalive within about 30 s. */
  @Test
  void keepaliveIsOnWithAboutThirtySecondsToNotice() throws Exception {
    Socket socket = wire.socket();

    assertThat(socket.getKeepAlive()).isTrue();
    int idle = socket.getOption(ExtendedSocketOptions.TCP_KEEPIDLE);
    int interval = socket.getOption(ExtendedSocketOptions.TCP_KEEPINTERVAL);
    int count = socket.getOption(ExtendedSocketOptions.TCP_KEEPCOUNT);
    assertThat(idle + interval * count).isEqualTo(30);
  }
}
