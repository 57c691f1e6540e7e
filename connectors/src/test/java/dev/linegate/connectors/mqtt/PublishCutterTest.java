package dev.linegate.connectors.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;

/**
 * What Paho reads through the cutter: every packet as sent, except an oversized PUBLISH's payload.
 */
class PublishCutterTest {

  private static final int LIMIT = 1_000;
  private static final byte[] CONNACK = {0x20, 0x02, 0x00, 0x00};
  private static final byte[] PINGRESP = {(byte) 0xd0, 0x00};

  @Test
  void anOversizedPublishIsCutAndItsSizeQueuedWhileEverythingElsePasses() throws IOException {
    byte[] small = publish(1, 7, "plant/L1/batch-complete", payload(LIMIT));
    byte[] large = publish(1, 8, "plant/L1/batch-complete", payload(200_000));
    byte[] atMostQos0 = publish(0, 0, "plant/L2/batch-complete", payload(100_000));
    byte[] wire = concat(CONNACK, small, large, PINGRESP, atMostQos0, small);
    Queue<Long> cut = new ConcurrentLinkedQueue<>();

    byte[] read = readAll(new PublishCutter(new Choppy(wire), LIMIT, cut));

    byte[] expected =
        concat(
            CONNACK,
            small,
            publish(1, 8, "plant/L1/batch-complete", Arrays.copyOf(payload(200_000), LIMIT + 1)),
            PINGRESP,
            publish(0, 0, "plant/L2/batch-complete", Arrays.copyOf(payload(100_000), LIMIT + 1)),
            small);
    assertThat(read).isEqualTo(expected);
    assertThat(cut).containsExactly(200_000L, 100_000L);
  }

  @Test
  void aPublishJustOverTheLimitIsCutToTheSameBytesAndCounted() throws IOException {
    byte[] justOver = publish(1, 9, "t", payload(LIMIT + 1));
    Queue<Long> cut = new ConcurrentLinkedQueue<>();
    assertThat(readAll(new PublishCutter(new ByteArrayInputStream(justOver), LIMIT, cut)))
        .isEqualTo(justOver);
    assertThat(cut).containsExactly((long) LIMIT + 1);
  }

  private static byte[] payload(int size) {
    byte[] payload = new byte[size];
    for (int i = 0; i < size; i++) {
      payload[i] = (byte) ('A' + i % 26);
    }
    return payload;
  }

  private static byte[] publish(int qos, int packetId, String topic, byte[] payload) {
    byte[] name = topic.getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream variable = new ByteArrayOutputStream();
    variable.write(name.length >> 8);
    variable.write(name.length & 0xff);
    variable.writeBytes(name);
    if (qos > 0) {
      variable.write(packetId >> 8);
      variable.write(packetId & 0xff);
    }
    variable.writeBytes(payload);
    ByteArrayOutputStream packet = new ByteArrayOutputStream();
    packet.write(0x30 | qos << 1);
    int length = variable.size();
    do {
      int digit = length % 128;
      length /= 128;
      packet.write(length > 0 ? digit | 0x80 : digit);
    } while (length > 0);
    packet.writeBytes(variable.toByteArray());
    return packet.toByteArray();
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }

  /** Reads as Paho does: in pieces of odd sizes, going on after a read timeout. */
  private static byte[] readAll(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buffer = new byte[13];
    for (int size = 1; ; size = size % 13 + 1) {
      int n;
      try {
        n = size == 1 ? in.read() : in.read(buffer, 0, size);
      } catch (SocketTimeoutException e) {
        continue;
      }
      if (n < 0) {
        return out.toByteArray();
      }
      if (size == 1) {
        out.write(n);
      } else {
        out.write(buffer, 0, n);
      }
    }
  }

  /** A socket's input: a few bytes at a time, and every third read times out. */
  private static final class Choppy extends InputStream {
    private final ByteArrayInputStream bytes;
    private int reads;

    Choppy(byte[] wire) {
      this.bytes = new ByteArrayInputStream(wire);
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] into, int offset, int length) throws IOException {
      if (++reads % 3 == 0) {
        throw new SocketTimeoutException("Read timed out");
      }
      return bytes.read(into, offset, Math.min(length, 7));
    }
  }
}
