package dev.linegate.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.linegate.simulator.printer.SimulatedPrinter;
import dev.linegate.simulator.serial.VirtualSerialPair;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Anyone on the plant network can read the API as hard as they like: a script gone wild, a
 * dashboard polling a huge lot. That must not hold up the line: its labels print and its events
 * reach the ERP as they do without the flood.
 */
class ReadFloodIT {

  private static final int CLIENTS = 48;

  /** Unflooded, the batch is printed and at the ERP in about a second. */
  private static final Duration BOUND = Duration.ofSeconds(8);

  @TempDir Path dir;

  @Test
  void aFloodOfSlowApiReadsDoesNotHoldUpPrintingOrTheErp() throws Exception {
    try (MqttRig rig = MqttRig.start();
        VirtualSerialPair cable = VirtualSerialPair.create(dir, "p1");
        SimulatedPrinter unitPrinter = SimulatedPrinter.start().listenSerial(cable.b());
        SimulatedPrinter lotPrinter = SimulatedPrinter.start()) {
      int lotPrinterPort = lotPrinter.listenTcp(0);
      rig.startGateway(
          TestConfig.writeLabelled(
              dir,
              rig.httpPort(),
              rig.broker().url(),
              rig.erp().url(),
              cable.a().toString(),
              "tcp://127.0.0.1:" + lotPrinterPort),
          "L1",
          "L2");
      // A big lot to read: listing its voided serials (there are none) reads all 200,000.
      String bigLot = rig.publishAndAwaitLot("L2", TestConfig.WIDGET, 200_000).get("lot").asText();
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  rig.erp().events("dev.linegate.lot.completed").size() == 1
                      && rig.erp().events("dev.linegate.label.printed").size() == 1);

      Map<Integer, AtomicInteger> answers = new ConcurrentHashMap<>();
      AtomicBoolean flooding = new AtomicBoolean(true);
      ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      HttpRequest slowRead =
          HttpRequest.newBuilder(
                  URI.create(
                      "http://127.0.0.1:"
                          + rig.httpPort()
                          + "/api/lots/"
                          + bigLot
                          + "/serials?status=voided&limit=1000"))
              .header("Cookie", rig.api().session())
              .timeout(Duration.ofSeconds(60))
              .build();
      List<Future<?>> flood = new ArrayList<>();
      try {
        for (int i = 0; i < CLIENTS; i++) {
          flood.add(
              clients.submit(
                  () -> {
                    while (flooding.get()) {
                      int status =
                          http.send(slowRead, HttpResponse.BodyHandlers.discarding()).statusCode();
                      answers.computeIfAbsent(status, s -> new AtomicInteger()).incrementAndGet();
                    }
                    return null;
                  }));
        }
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> answers.values().stream().mapToInt(AtomicInteger::get).sum() >= CLIENTS);

        // Watched on the wires (printer, ERP), not through the flooded API.
        long published = System.nanoTime();
        rig.plc()
            .publish("L1", rig.plc().nextBatchId("L1"), TestConfig.WIDGET, 12)
            .get(10, TimeUnit.SECONDS);
        await().atMost(BOUND).until(() -> unitPrinter.labels().size() == 12);
        await()
            .atMost(BOUND)
            .until(
                () ->
                    rig.erp().events("dev.linegate.lot.completed").size() == 2
                        && rig.erp().events("dev.linegate.label.printed").size() == 2);
        Duration took = Duration.ofNanos(System.nanoTime() - published);
        System.out.printf(
            "Under a flood of %d clients (%s answers so far): 12 labels printed and at the ERP %d ms after publishing%n",
            CLIENTS, answers, took.toMillis());
        assertThat(took).isLessThan(BOUND);

        // More at once than the API's workers and queue hold: the rest are refused as busy, at
        // once.
        List<CompletableFuture<HttpResponse<String>>> burst =
            IntStream.range(0, 60)
                .mapToObj(i -> http.sendAsync(slowRead, HttpResponse.BodyHandlers.ofString()))
                .toList();
        List<HttpResponse<String>> refused =
            burst.stream()
                .map(CompletableFuture::join)
                .filter(answer -> answer.statusCode() == 503)
                .toList();
        assertThat(refused)
            .isNotEmpty()
            .allSatisfy(
                answer -> {
                  assertThat(answer.body()).contains("\"error\":\"busy\"");
                  assertThat(answer.headers().firstValue("Retry-After")).contains("1");
                });
      } finally {
        flooding.set(false);
        for (Future<?> client : flood) {
          client.get(60, TimeUnit.SECONDS);
        }
        clients.shutdown();
      }
      // A flood is answered or refused as busy, never failed.
      assertThat(answers.keySet()).isSubsetOf(200, 503);
    }
  }
}
