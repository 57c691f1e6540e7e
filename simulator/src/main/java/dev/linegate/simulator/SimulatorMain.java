package dev.linegate.simulator;

import dev.linegate.simulator.erp.ErpCommand;
import dev.linegate.simulator.kafka.KafkaCommand;
import dev.linegate.simulator.l4.L4Command;
import dev.linegate.simulator.load.LoadCommand;
import dev.linegate.simulator.mqtt.BrokerCommand;
import dev.linegate.simulator.mqtt.MqttPlcCommand;
import dev.linegate.simulator.opcua.OpcUaPlcCommand;
import dev.linegate.simulator.printer.PrintLoadCommand;
import dev.linegate.simulator.printer.PrinterCommand;
import dev.linegate.simulator.scanner.ScannerCommand;
import dev.linegate.simulator.trace.TraceLoadCommand;
import java.time.Duration;
import org.eclipse.milo.opcua.stack.core.Stack;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ExitCode;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

/** {@code java -jar linegate-simulator.jar <command> [options]}. */
@Command(
    name = "linegate-simulator",
    mixinStandardHelpOptions = true,
    version = "linegate-simulator 0.1.0",
    description = "The other side of every wire of a Linegate gateway.",
    subcommands = {
      BrokerCommand.class,
      MqttPlcCommand.class,
      OpcUaPlcCommand.class,
      ErpCommand.class,
      L4Command.class,
      KafkaCommand.class,
      PrinterCommand.class,
      PrintLoadCommand.class,
      ScannerCommand.class,
      LoadCommand.class,
      TraceLoadCommand.class,
      DemoCommand.class
    })
public final class SimulatorMain implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "Missing command");
  }

  public static void main(String[] args) {
    int exitCode = commandLine().execute(args);
    // Milo's shared threads (OPC UA PLC) go last, once no command can need them any more.
    Stack.releaseSharedResources();
    System.exit(exitCode);
  }

  /** The command line with its converters and error handling. */
  public static CommandLine commandLine() {
    return new CommandLine(new SimulatorMain())
        .registerConverter(Duration.class, new DurationConverter())
        .setCaseInsensitiveEnumValuesAllowed(true)
        .setExecutionExceptionHandler(SimulatorMain::failed);
  }

  /** A bad argument that only the command itself could see is bad usage (2); the rest fails (1). */
  private static int failed(Exception error, CommandLine command, ParseResult parsed) {
    var message = new StringBuilder("error: ").append(error.getMessage());
    for (var cause = error.getCause(); cause != null; cause = cause.getCause()) {
      if (cause.getMessage() != null && message.indexOf(cause.getMessage()) < 0) {
        message.append(": ").append(cause.getMessage());
      }
    }
    command.getErr().println(command.getColorScheme().errorText(message.toString()));
    return error instanceof IllegalArgumentException ? ExitCode.USAGE : ExitCode.SOFTWARE;
  }
}
