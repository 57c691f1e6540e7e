import java.util.*;
import java.util.concurrent.*;
import java.util.concurrent.atomic.*;
import org.apache.kafka.clients.producer.*;
import org.apache.kafka.common.serialization.*;

/**
 * Run: java -cp simulator/target/linegate-simulator.jar bench/ProducerRate.java 127.0.0.1:39092 async|sync THREADS COUNT
 * (a broker from the simulator's kafka command).
 *
 * The broker alone, with the gateway's producer settings (idempotent, acks=all, linger 5 ms):
 * records of a lot.completed of 10 serials, keyed by lot. "async": every record sent at once, the
 * client batching as it likes (the broker's ceiling for this producer); "sync N": N threads, each
 * sending one record and waiting for its acknowledgment before the next (the gateway's senders).
 */
public class ProducerRate {
  public static void main(String[] args) throws Exception {
    String bootstrap = args[0];
    String mode = args[1];
    int threads = Integer.parseInt(args[2]);
    int count = Integer.parseInt(args[3]);
    StringBuilder serials = new StringBuilder();
    for (int i = 0; i < 10; i++) serials.append(i == 0 ? "" : ",").append("\"").append(100000000000L + i * 7919L).append("\"");
    String value = "{\"specversion\":\"1.0\",\"id\":\"%s\",\"source\":\"linegate/bench/L1\",\"type\":\"dev.linegate.lot.completed\",\"subject\":\"L1-%d\",\"time\":\"2026-12-06T10:15:00.123Z\",\"datacontenttype\":\"application/json\",\"data\":{\"lot\":\"L1-%d\",\"batchId\":\"B-%d\",\"line\":\"L1\",\"product\":\"WIDGET-100\",\"gtin\":\"09506000134352\",\"quantity\":10,\"productionDate\":\"2026-12-06\",\"expiryDate\":\"2028-12-06\",\"serials\":[" + serials + "]}}";
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrap);
    p.put("acks", "all");
    p.put("enable.idempotence", "true");
    p.put("linger.ms", "5");
    p.put("client.id", "bench");
    try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
      // warm-up: metadata, connections
      producer.send(new ProducerRecord<>("bench", "warm", "x".getBytes())).get();
      long t0 = System.nanoTime();
      if (mode.equals("async")) {
        List<Future<RecordMetadata>> all = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
          all.add(producer.send(record(value, i)));
        }
        for (Future<RecordMetadata> f : all) f.get();
      } else {
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          workers.add(pool.submit(() -> {
            int i;
            while ((i = next.getAndIncrement()) < count) {
              producer.send(record(value, i)).get();
            }
            return null;
          }));
        }
        for (Future<?> w : workers) w.get();
        pool.shutdown();
      }
      double s = (System.nanoTime() - t0) / 1e9;
      System.out.printf("%s %d threads: %d records of %d bytes in %.2f s = %.0f records/s%n", mode, threads, count, record(value, 0).value().length, s, count / s);
    }
  }

  static ProducerRecord<String, byte[]> record(String template, int i) {
    return new ProducerRecord<>("bench", "bench/L1-" + i, String.format(template, UUID.randomUUID(), i, i, i).getBytes());
  }
}
