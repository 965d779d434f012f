package dev.kafkaping.kafka;

import dev.kafkaping.cli.UserError;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.CommonClientConfigs;

/**
 * Checks that a Kafka broker answers at the bootstrap addresses before any Kafka client is built.
 * Kafka clients retry a refused connection until their timeout, and a plaintext client talking to a
 * SASL or TLS listener is disconnected at every request until then: a plain TCP connect tells
 * "nobody is there" at once, and one request tells "it wants SASL or TLS" within a second.
 */
public final class BootstrapProbe {
  private BootstrapProbe() {}

  /**
   * Returns when one bootstrap address accepts a connection and, for a plaintext client, answers
   * Kafka requests; throws a {@link UserError} saying which it was otherwise.
   */
  public static void requireKafka(KafkaConnection connection, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    Connected connected =
        connectToAny(BootstrapAddress.parseAll(connection.bootstrapServers()), deadline);
    try (Socket socket = connected.socket()) {
      if (plaintext(connection)) {
        KafkaHandshake.requireAnswers(socket, connected.address().text(), deadline);
      }
    } catch (IOException e) {
      // closing the probe's socket failed: nothing to tell the user
    }
  }

  private static boolean plaintext(KafkaConnection connection) {
    String protocol =
        connection
            .properties()
            .getOrDefault(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "PLAINTEXT");
    return protocol.trim().equalsIgnoreCase("PLAINTEXT");
  }

  private record Connected(BootstrapAddress address, Socket socket) {}

  /**
   * Connects to every address at once and keeps the first that accepts, so that one silent address
   * (dropped SYNs) cannot use up the whole timeout while the others are healthy.
   */
  private static Connected connectToAny(List<BootstrapAddress> addresses, long deadline) {
    ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    AtomicBoolean decided = new AtomicBoolean();
    try {
      CompletionService<Connected> attempts = new ExecutorCompletionService<>(executor);
      List<Future<Connected>> futures = new ArrayList<>();
      for (BootstrapAddress address : addresses) {
        futures.add(attempts.submit(() -> connect(address, deadline, decided)));
      }
      List<String> failures = new ArrayList<>();
      for (int i = 0; i < addresses.size(); i++) {
        Future<Connected> done =
            attempts.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        if (done == null) {
          break;
        }
        try {
          return done.get();
        } catch (ExecutionException e) {
          failures.add(e.getCause().getMessage());
        }
      }
      for (int i = 0; i < addresses.size(); i++) {
        if (!futures.get(i).isDone()) {
          failures.add(addresses.get(i).text() + " (no answer)");
        }
      }
      throw new UserError("cannot reach Kafka at " + String.join(", ", failures));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UserError("interrupted");
    } finally {
      decided.set(true);
      executor.shutdownNow(); // an interrupted connect closes its socket; nothing waits for it
    }
  }

  private static Connected connect(BootstrapAddress address, long deadline, AtomicBoolean decided)
      throws IOException {
    int millis = (int) Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
    Socket socket = new Socket();
    try {
      socket.connect(new InetSocketAddress(address.host(), address.port()), millis);
    } catch (IOException e) {
      socket.close();
      throw new IOException(address.text() + " (" + describe(e) + ")", e);
    }
    synchronized (decided) {
      if (decided.getAndSet(true)) {
        socket.close(); // another address won, or the probe is over
        throw new IOException(address.text() + " (not needed)");
      }
    }
    return new Connected(address, socket);
  }

  private static String describe(IOException e) {
    return switch (e) {
      case ConnectException c -> "connection refused";
      case SocketTimeoutException t -> "no answer";
      case UnknownHostException u -> "unknown host";
      default -> e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    };
  }
}
