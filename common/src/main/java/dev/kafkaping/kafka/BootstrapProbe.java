package dev.kafkaping.kafka;

import dev.kafkaping.cli.UserError;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks that something listens at the bootstrap addresses before any Kafka client is built. Kafka
 * clients retry a refused connection until their timeout; a plain TCP connect tells "nobody is
 * there" at once, so a typo in the address costs milliseconds instead of the whole timeout.
 */
public final class BootstrapProbe {
  private BootstrapProbe() {}

  /** Returns when one address accepts a TCP connection; throws a {@link UserError} otherwise. */
  public static void requireListening(String bootstrapServers, Duration timeout) {
    List<String> failures = new ArrayList<>();
    long deadline = System.nanoTime() + timeout.toNanos();
    for (String address : bootstrapServers.split(",")) {
      String trimmed = address.trim();
      int colon = trimmed.lastIndexOf(':');
      if (colon <= 0 || colon == trimmed.length() - 1) {
        throw new UserError("bootstrap server '" + trimmed + "' is not HOST:PORT");
      }
      String host = trimmed.substring(0, colon).replace("[", "").replace("]", "");
      int port;
      try {
        port = Integer.parseInt(trimmed.substring(colon + 1));
      } catch (NumberFormatException e) {
        throw new UserError("bootstrap server '" + trimmed + "' has no valid port");
      }
      int millis = (int) Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress(host, port), millis);
        return;
      } catch (IOException e) {
        failures.add(trimmed + " (" + describe(e) + ")");
      }
    }
    throw new UserError("cannot reach Kafka at " + String.join(", ", failures));
  }

  private static String describe(IOException e) {
    return switch (e) {
      case java.net.ConnectException c -> "connection refused";
      case java.net.SocketTimeoutException t -> "no answer";
      case java.net.UnknownHostException u -> "unknown host";
      default -> e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    };
  }
}
