package dev.linegate.simulator.printer;

import com.fazecast.jSerialComm.SerialPort;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Predicate;

/** The gateway's end of the wire, played raw by the tests: bytes out, bytes in. */
abstract class HostEnd implements AutoCloseable {
  static final byte ETX = 0x03;

  enum Transport {
    SERIAL,
    TCP
  }

  abstract void write(byte[] bytes);

  /** Up to {@code max} bytes, waiting at most about 100 ms; 0 if none came. */
  abstract int read(byte[] buffer);

  void write(String text) {
    write(text.getBytes(StandardCharsets.ISO_8859_1));
  }

  /** Reads until {@code done} holds for what came, or {@code within} has passed. */
  String readUntil(Predicate<String> done, Duration within) {
    var received = new ByteArrayOutputStream();
    long deadline = System.nanoTime() + within.toNanos();
    byte[] buffer = new byte[1024];
    while (System.nanoTime() < deadline) {
      int n = read(buffer);
      if (n < 0) {
        break;
      }
      received.write(buffer, 0, n);
      if (done.test(received.toString(StandardCharsets.ISO_8859_1))) {
        break;
      }
    }
    return received.toString(StandardCharsets.ISO_8859_1);
  }

  /** Sends ~HS and returns the raw answer: three frames, or what came within two seconds. */
  String hostStatus() {
    write("~HS");
    return readUntil(HostEnd::threeFrames, Duration.ofSeconds(2));
  }

  static boolean threeFrames(String received) {
    return received.chars().filter(c -> c == ETX).count() >= 3 && received.endsWith("\r\n");
  }

  static HostEnd serial(Path path) {
    SerialPort port = SerialPort.getCommPort(path.toString());
    port.setComPortTimeouts(SerialPort.TIMEOUT_READ_SEMI_BLOCKING, 100, 0);
    if (!port.openPort()) {
      throw new IllegalStateException("cannot open " + path + ": " + port.getLastErrorCode());
    }
    return new HostEnd() {
      @Override
      void write(byte[] bytes) {
        if (port.writeBytes(bytes, bytes.length) != bytes.length) {
          throw new IllegalStateException("short write to " + path);
        }
      }

      @Override
      int read(byte[] buffer) {
        return port.readBytes(buffer, buffer.length);
      }

      @Override
      public void close() {
        port.closePort();
      }
    };
  }

  static HostEnd tcp(int tcpPort) {
    try {
      var socket = new Socket("127.0.0.1", tcpPort);
      socket.setSoTimeout(100);
      InputStream in = socket.getInputStream();
      OutputStream out = socket.getOutputStream();
      return new HostEnd() {
        @Override
        void write(byte[] bytes) {
          try {
            out.write(bytes);
            out.flush();
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }

        @Override
        int read(byte[] buffer) {
          try {
            return in.read(buffer);
          } catch (SocketTimeoutException e) {
            return 0;
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }

        @Override
        public void close() throws IOException {
          socket.close();
        }
      };
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
