package dev.linegate.connectors.mqtt;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Arrays;
import java.util.Queue;
import javax.net.SocketFactory;

/**
 * What Paho's 3.1.1 client reads from the broker, with every PUBLISH whose payload is over the
 * limit cut to {@code limit + 1} bytes on the way: Paho allocates a whole packet before it reads it
 * (and copies it once more), so a message larger than the heap would otherwise end in an
 * OutOfMemoryError in Paho's receiver, a reconnect and the same message again, for ever. The rest
 * of the payload is read and dropped here, and its size is queued for the session, in the order the
 * messages arrive, so that the cut message can be recorded as a reject with its size. Every other
 * packet passes unchanged.
 *
 * <p>MQTT 3.1.1 only (its PUBLISH has no properties); MQTT 5 asks the broker for a Maximum Packet
 * Size instead. The dropped bytes are not seen by Paho's keep-alive: dropping more than about
 * twenty seconds' worth of a slow link in one go would time the connection out.
 */
final class PublishCutter extends InputStream {

  private static final int PUBLISH = 3;

  private final InputStream in;
  private final int limit;
  private final Queue<Long> cutSizes;

  /** The fixed header as read, and the topic length of a PUBLISH that may need cutting. */
  private final byte[] head = new byte[7];

  private int headLength;

  /** Bytes to hand on before reading on: a header, as read or rewritten. */
  private byte[] pending = new byte[0];

  private int pendingAt;
  private long toPass;
  private long toDrop;
  private final byte[] dropped = new byte[8192];
  private final byte[] one = new byte[1];

  PublishCutter(InputStream in, int limit, Queue<Long> cutSizes) {
    this.in = new BufferedInputStream(in);
    this.limit = limit;
    this.cutSizes = cutSizes;
  }

  /** Paho reads each packet's header a byte at a time. */
  @Override
  public int read() throws IOException {
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  /**
   * A read timeout of the socket may interrupt any step: the state is kept and the next read goes
   * on.
   */
  @Override
  public int read(byte[] into, int offset, int length) throws IOException {
    if (length == 0) {
      return 0;
    }
    while (true) {
      if (pendingAt < pending.length) {
        int n = Math.min(length, pending.length - pendingAt);
        System.arraycopy(pending, pendingAt, into, offset, n);
        pendingAt += n;
        return n;
      }
      if (toPass > 0) {
        int n = in.read(into, offset, (int) Math.min(length, toPass));
        if (n > 0) {
          toPass -= n;
        }
        return n;
      }
      if (toDrop > 0) {
        int n = in.read(dropped, 0, (int) Math.min(dropped.length, toDrop));
        if (n < 0) {
          return n;
        }
        toDrop -= n;
        continue;
      }
      int next = in.read();
      if (next < 0) {
        if (headLength == 0) {
          return -1;
        }
        throw new EOFException("connection closed inside a packet header");
      }
      head[headLength++] = (byte) next;
      decide();
    }
  }

  /** Once enough of a packet's header is in: what to hand on, pass and drop. */
  private void decide() throws IOException {
    int lengthBytes = lengthBytes();
    if (lengthBytes < 0) {
      return;
    }
    long remaining = remainingLength(lengthBytes);
    int fixed = 1 + lengthBytes;
    int type = (head[0] >> 4) & 0x0f;
    if (type != PUBLISH || remaining <= limit + 2L) {
      handOn(fixed, remaining);
      return;
    }
    if (headLength < fixed + 2) {
      return;
    }
    int topicLength = (head[fixed] & 0xff) << 8 | head[fixed + 1] & 0xff;
    int qos = (head[0] >> 1) & 0x03;
    long variableHeader = 2L + topicLength + (qos > 0 ? 2 : 0);
    long payload = remaining - variableHeader;
    if (payload <= limit) {
      handOn(headLength, remaining - 2);
      return;
    }
    long kept = limit + 1L;
    byte[] length = remainingLengthBytes(variableHeader + kept);
    pending = new byte[1 + length.length + 2];
    pending[0] = head[0];
    System.arraycopy(length, 0, pending, 1, length.length);
    pending[pending.length - 2] = head[fixed];
    pending[pending.length - 1] = head[fixed + 1];
    pendingAt = 0;
    toPass = variableHeader - 2 + kept;
    toDrop = payload - kept;
    headLength = 0;
    cutSizes.add(payload);
  }

  private void handOn(int headerBytes, long rest) {
    pending = Arrays.copyOf(head, headerBytes);
    pendingAt = 0;
    toPass = rest;
    headLength = 0;
  }

  /** How many bytes the Remaining Length takes, or -1 while it is incomplete. */
  private int lengthBytes() throws IOException {
    for (int i = 1; i < Math.min(headLength, 5); i++) {
      if ((head[i] & 0x80) == 0) {
        return i;
      }
    }
    if (headLength >= 5) {
      throw new IOException("malformed Remaining Length from the broker");
    }
    return -1;
  }

  private long remainingLength(int lengthBytes) {
    long value = 0;
    for (int i = lengthBytes; i >= 1; i--) {
      value = value << 7 | head[i] & 0x7f;
    }
    return value;
  }

  private static byte[] remainingLengthBytes(long value) {
    byte[] out = new byte[4];
    int n = 0;
    do {
      int digit = (int) (value % 128);
      value /= 128;
      out[n++] = (byte) (value > 0 ? digit | 0x80 : digit);
    } while (value > 0);
    return Arrays.copyOf(out, n);
  }

  @Override
  public int available() throws IOException {
    return pending.length - pendingAt + (toPass > 0 ? (int) Math.min(in.available(), toPass) : 0);
  }

  @Override
  public void close() throws IOException {
    in.close();
  }

  /**
   * Sockets whose input is cut as above; for {@code tcp://} brokers (Paho wants an SSLSocketFactory
   * for {@code ssl://}).
   */
  static final class Factory extends SocketFactory {

    private final int limit;
    private final Queue<Long> cutSizes;

    Factory(int limit, Queue<Long> cutSizes) {
      this.limit = limit;
      this.cutSizes = cutSizes;
    }

    @Override
    public Socket createSocket() {
      return new Socket() {
        private InputStream cut;

        @Override
        public synchronized InputStream getInputStream() throws IOException {
          if (cut == null) {
            cut = new PublishCutter(super.getInputStream(), limit, cutSizes);
          }
          return cut;
        }
      };
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
      return connected(new InetSocketAddress(host, port));
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort)
        throws IOException {
      return connected(
          new InetSocketAddress(host, port), new InetSocketAddress(localHost, localPort));
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
      return connected(new InetSocketAddress(host, port));
    }

    @Override
    public Socket createSocket(
        InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
      return connected(
          new InetSocketAddress(address, port), new InetSocketAddress(localAddress, localPort));
    }

    private Socket connected(InetSocketAddress remote, InetSocketAddress... local)
        throws IOException {
      Socket socket = createSocket();
      if (local.length > 0) {
        socket.bind(local[0]);
      }
      socket.connect(remote);
      return socket;
    }
  }
}
