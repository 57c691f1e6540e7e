package dev.linegate.simulator.opcua;

import dev.linegate.simulator.CtrlC;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.types.enumerated.MessageSecurityMode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "opcua-plc",
    mixinStandardHelpOptions = true,
    description = {
      "PLC over OPC UA: a server at opc.tcp://<host>:<port>" + OpcUaPlcConfig.PATH + " with the",
      "variables <line>.Batch.Ready, Id, Product, Quantity, Lot and Ack per line",
      "(namespace " + OpcUaPlc.NAMESPACE_URI + "), playing the PLC side of the",
      "Ready/Ack handshake. Without --count it runs until Ctrl-C."
    })
public final class OpcUaPlcCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(OpcUaPlcCommand.class);
  private static final List<SecurityPolicy> POLICIES =
      List.of(
          SecurityPolicy.None, SecurityPolicy.Basic256Sha256, SecurityPolicy.Aes128_Sha256_RsaOaep);

  @Option(
      names = "--host",
      defaultValue = "127.0.0.1",
      description = "Bind address and endpoint host (default: ${DEFAULT-VALUE}).")
  String host;

  @Option(
      names = "--port",
      defaultValue = "4840",
      description = "Default: ${DEFAULT-VALUE}; 0 takes a free port.")
  int port;

  @Option(
      names = "--lines",
      split = ",",
      defaultValue = "L1,L2",
      description = "Line ids, comma separated (default: ${DEFAULT-VALUE}).")
  List<String> lines;

  @Option(
      names = "--product",
      defaultValue = "WIDGET-100",
      description = "Product code of each batch (default: ${DEFAULT-VALUE}).")
  String product;

  @Option(
      names = "--quantity",
      defaultValue = "10",
      description = "Units per batch (default: ${DEFAULT-VALUE}).")
  int quantity;

  @Option(
      names = "--quantity-type",
      defaultValue = "INT32",
      description =
          "OPC UA type of Quantity: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  QuantityType quantityType;

  @Option(
      names = "--rate",
      defaultValue = "1",
      description = "Batches per second per line (default: ${DEFAULT-VALUE}).")
  double rate;

  @Option(
      names = "--count",
      description = "Batches per line; then waits until all are acknowledged and exits.")
  Long count;

  @Option(
      names = "--security-policy",
      defaultValue = "None",
      description = "None, Basic256Sha256 or Aes128_Sha256_RsaOaep (default: ${DEFAULT-VALUE}).")
  SecurityPolicy policy;

  @Option(
      names = "--security-mode",
      description =
          "None, Sign or SignAndEncrypt (default: None without a policy, SignAndEncrypt with one).")
  MessageSecurityMode mode;

  @Option(
      names = "--user",
      description = "Require this user name (and --password); anonymous otherwise.")
  String user;

  @Option(names = "--password", description = "The password of --user.")
  String password;

  @Option(
      names = "--pki-dir",
      defaultValue = "./simulator-pki",
      description =
          "Where the server's self-signed certificate is created and kept (default: ${DEFAULT-VALUE}).")
  Path pkiDir;

  @Override
  public Integer call() throws Exception {
    OpcUaPlcConfig config = config();
    var scheduler =
        Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "opcua-plc-generator"));
    var lots = new ArrayList<CompletableFuture<String>>();
    var raised = new AtomicLong();
    var acknowledged = new AtomicLong();
    var done = new CompletableFuture<Void>();
    var finishing = new AtomicBoolean();
    try (var ctrlC = CtrlC.install();
        var plc = OpcUaPlc.start(config)) {
      plc.certificateFile()
          .ifPresent(
              file ->
                  LOG.info(
                      "server certificate: {} (trust it in the gateway's pki/trusted/certs)",
                      file));
      long periodNanos = Math.max(1, Math.round(1e9 / rate));
      scheduler.scheduleAtFixedRate(
          () -> {
            // A periodic task that throws stops for good: end the command with the error instead.
            try {
              raiseNext(plc, config, raised, acknowledged, lots, finishing, done);
            } catch (RuntimeException e) {
              done.completeExceptionally(e);
            }
          },
          0,
          periodNanos,
          TimeUnit.NANOSECONDS);
      ctrlC.onStop(() -> done.complete(null));
      ctrlC.await(done);
      scheduler.shutdownNow();
      scheduler.awaitTermination(5, TimeUnit.SECONDS);
    } finally {
      // Milo's shared threads are released by SimulatorMain at exit: tests run this in-process.
      scheduler.shutdownNow();
    }
    LOG.info("raised {} batches, {} acknowledged by the gateway", raised.get(), acknowledged.get());
    return 0;
  }

  /**
   * One tick: a batch per line, until {@code --count} is reached and every batch is acknowledged.
   */
  private void raiseNext(
      OpcUaPlc plc,
      OpcUaPlcConfig config,
      AtomicLong raised,
      AtomicLong acknowledged,
      List<CompletableFuture<String>> lots,
      AtomicBoolean finishing,
      CompletableFuture<Void> done) {
    for (String line : config.lines()) {
      if (count != null && raised.get() >= count * config.lines().size()) {
        if (lots.stream().allMatch(CompletableFuture::isDone)
            && finishing.compareAndSet(false, true)) {
          // Every batch acknowledged; end once the gateway has dropped Ack as well.
          CompletableFuture.allOf(
                  config.lines().stream().map(plc::whenIdle).toArray(CompletableFuture[]::new))
              .thenRun(() -> done.complete(null));
        }
        return;
      }
      raised.incrementAndGet();
      String batchId = plc.nextBatchId(line);
      CompletableFuture<String> lot =
          plc.raise(line, batchId, product, quantity)
              .whenComplete(
                  (value, error) -> {
                    if (error == null) {
                      acknowledged.incrementAndGet();
                      LOG.info(
                          "{}: batch {} -> lot {}",
                          line,
                          batchId,
                          value.isEmpty() ? "(none)" : value);
                    }
                  });
      // Kept only to know when a counted run is over: an endless run would grow this for ever.
      if (count != null) {
        lots.add(lot);
      }
    }
  }

  /** Checks what picocli cannot: bad values here are bad usage (exit code 2). */
  private OpcUaPlcConfig config() {
    if (!(rate > 0)) {
      throw new IllegalArgumentException("--rate must be above 0, not " + rate);
    }
    if (count != null && count < 1) {
      throw new IllegalArgumentException("--count must be at least 1");
    }
    if (!POLICIES.contains(policy)) {
      throw new IllegalArgumentException(
          "--security-policy must be one of "
              + POLICIES.stream().map(SecurityPolicy::name).toList());
    }
    MessageSecurityMode securityMode =
        mode != null
            ? mode
            : policy == SecurityPolicy.None
                ? MessageSecurityMode.None
                : MessageSecurityMode.SignAndEncrypt;
    if (securityMode == MessageSecurityMode.Invalid) {
      throw new IllegalArgumentException("--security-mode must be None, Sign or SignAndEncrypt");
    }
    if ((user == null) != (password == null)) {
      throw new IllegalArgumentException("--user and --password go together");
    }
    return new OpcUaPlcConfig(
        host,
        port,
        lines,
        List.of(new OpcUaPlcConfig.Security(policy, securityMode)),
        Optional.ofNullable(user).map(u -> new OpcUaPlcConfig.User(u, password)),
        pkiDir,
        quantityType);
  }
}
