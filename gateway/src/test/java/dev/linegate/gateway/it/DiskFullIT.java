package dev.linegate.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.linegate.simulator.mqtt.MqttPlc;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A disk that fills up beside a running line: below {@code gateway.minFreeDiskMb} the gateway takes
 * no new batch (the broker keeps it unacknowledged), {@code /health} says why, and once there is
 * space again the held batches become lots by themselves. The disk is a real one, a small tmpfs
 * mounted for the test and filled with a file.
 */
class DiskFullIT {

  private static final int DISK_MB = 64;
  private static final int MIN_FREE_MB = 24;

  @TempDir Path dir;
  private Path disk;

  @BeforeEach
  void mountASmallDisk() throws Exception {
    disk = Files.createDirectory(dir.resolve("disk"));
    run("mount", "-t", "tmpfs", "-o", "size=" + DISK_MB + "m", "tmpfs", disk.toString());
  }

  @AfterEach
  void unmount() throws Exception {
    run("umount", "-l", disk.toString());
  }

  @Test
  void belowTheMinimumBatchesAreHeldAndBecomeLotsWhenSpaceReturns() throws Exception {
    try (MosquittoRig rig = MosquittoRig.start(dir)) {
      Path config = TestConfig.write(disk, rig.httpPort(), rig.broker().url(), rig.erp().url());
      Files.writeString(
          config,
          Files.readString(config)
              .replace("  dataDir:", "  minFreeDiskMb: " + MIN_FREE_MB + "\n  dataDir:"));
      GatewayApi api = rig.api();
      MqttPlc plc = rig.plc();
      Path log = dir.resolve("gateway.log");
      try (GatewayProcess gateway = GatewayProcess.start(config, log)) {
        api.awaitUp(Duration.ofSeconds(60));
        assertThat(api.check("disk").path("detail").asText())
            .contains("MB free on " + disk.resolve("data"));
        publish(plc, 1);
        await().atMost(Duration.ofSeconds(30)).until(() -> api.count("/api/lots") == 1);

        Path filler = disk.resolve("filler");
        fill(filler, Files.getFileStore(disk).getUsableSpace() - (MIN_FREE_MB - 8) * 1024L * 1024L);
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> api.check("disk").path("status").asText().equals("DOWN"));
        publish(plc, 3);
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () ->
                    api.check("disk")
                        .path("detail")
                        .asText()
                        .contains("new batches are held (3 waiting)"));
        assertThat(api.count("/api/lots")).as("lots made while the disk was full").isEqualTo(1);
        assertThat(api.call("GET", "/health").status()).isEqualTo(503);

        Files.delete(filler);
        await().atMost(Duration.ofSeconds(10)).until(() -> api.count("/api/lots") == 4);
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> api.check("disk").path("status").asText().equals("UP"));
        await().atMost(Duration.ofSeconds(30)).until(() -> rig.erp().events().size() == 4);
        String output = gateway.output();
        assertThat(output)
            .containsOnlyOnce(
                "below gateway.minFreeDiskMb " + MIN_FREE_MB + ": new batches are held")
            .containsOnlyOnce("3 held batch signal(s) released");
      }
    }
  }

  private static void publish(MqttPlc plc, int batches) throws Exception {
    for (int i = 0; i < batches; i++) {
      plc.publish("L1", plc.nextBatchId("L1"), TestConfig.WIDGET, 3).get(10, TimeUnit.SECONDS);
    }
  }

  /** Written, not only sized: a sparse file would take no space on tmpfs. */
  private static void fill(Path file, long bytes) throws IOException {
    byte[] block = new byte[1 << 20];
    try (RandomAccessFile out = new RandomAccessFile(file.toFile(), "rw")) {
      for (long written = 0; written < bytes; written += block.length) {
        out.write(block, 0, (int) Math.min(block.length, bytes - written));
      }
    }
  }

  private static void run(String... command) throws Exception {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new IllegalStateException(
          String.join(" ", command)
              + " failed (this test mounts a small tmpfs and needs root): "
              + output);
    }
  }
}
