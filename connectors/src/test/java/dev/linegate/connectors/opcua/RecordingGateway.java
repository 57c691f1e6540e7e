package dev.linegate.connectors.opcua;

import dev.linegate.connectors.batch.BatchSignal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Stands in for the gateway's intake: records every signal and, when told to, answers it like the
 * real intake would (idempotently: the same batch id gets the same lot), from its own thread.
 */
final class RecordingGateway implements Consumer<BatchSignal>, AutoCloseable {

  private static final Pattern BATCH_ID = Pattern.compile("\"batchId\": \"([^\"]*)\"");

  private final List<BatchSignal> signals = new ArrayList<>();
  private final ExecutorService intake =
      Executors.newSingleThreadExecutor(r -> new Thread(r, "test-intake"));
  private volatile Function<BatchSignal, Optional<String>> answer;

  /** Records only; the test answers through {@link #signals()}. */
  static RecordingGateway silent() {
    return new RecordingGateway(null);
  }

  /** Commits every batch with lot {@code LOT-<batchId>}. */
  static RecordingGateway committing() {
    return new RecordingGateway(signal -> Optional.of("LOT-" + batchId(signal)));
  }

  private RecordingGateway(Function<BatchSignal, Optional<String>> answer) {
    this.answer = answer;
  }

  void answerWith(Function<BatchSignal, Optional<String>> newAnswer) {
    this.answer = newAnswer;
  }

  @Override
  public void accept(BatchSignal signal) {
    synchronized (signals) {
      signals.add(signal);
    }
    Function<BatchSignal, Optional<String>> current = answer;
    if (current != null) {
      intake.execute(() -> signal.acknowledgment().committed(current.apply(signal)));
    }
  }

  List<BatchSignal> signals() {
    synchronized (signals) {
      return List.copyOf(signals);
    }
  }

  List<String> payloads(String line) {
    return signals().stream()
        .filter(s -> s.line().equals(line))
        .map(RecordingGateway::payload)
        .toList();
  }

  List<String> batchIds(String line) {
    return signals().stream()
        .filter(s -> s.line().equals(line))
        .map(RecordingGateway::batchId)
        .toList();
  }

  static String payload(BatchSignal signal) {
    return new String(signal.payload(), StandardCharsets.UTF_8);
  }

  static String batchId(BatchSignal signal) {
    Matcher m = BATCH_ID.matcher(payload(signal));
    return m.find() ? m.group(1) : "?";
  }

  @Override
  public void close() {
    intake.shutdownNow();
  }
}
