package dev.linegate.simulator;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * A TCP port a part of the demo listens on, and how the user chooses another: when the port is
 * taken, or the part cannot start, the error names the part, the port and what to do.
 *
 * @param part what listens there, e.g. "the ERP"
 * @param option the {@code demo} option that sets the port
 * @param variable the environment variable that sets it for {@code ./linegate demo}
 */
record DemoPort(String part, int port, String option, String variable) {

  /** What stops the part from listening, and what to do about it; empty while the port is free. */
  Optional<String> problem() {
    try (var socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      // Any address: a program on any of them would take the connections or refuse our bind.
      socket.bind(new InetSocketAddress(port));
      return Optional.empty();
    } catch (BindException e) {
      String why =
          String.valueOf(e.getMessage()).contains("in use")
              ? "is in use"
              : "cannot be opened (" + e.getMessage() + ")";
      return Optional.of(
          part
              + " cannot listen: port "
              + port
              + " "
              + why
              + "; stop what holds it, or choose another port with "
              + option
              + " (./linegate demo: "
              + variable
              + "=<port>)");
    } catch (IOException e) {
      return Optional.of(part + " cannot listen on port " + port + ": " + e.getMessage());
    }
  }

  /**
   * Starts the part; when it fails, says which part, and, if its port was taken meanwhile, what to
   * do.
   */
  <T> T start(Callable<T> start) {
    try {
      return start.call();
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      Optional<String> problem = problem();
      throw problem.isPresent()
          ? new IllegalStateException(problem.get())
          : new IllegalStateException(part + " could not start on port " + port, e);
    }
  }
}
