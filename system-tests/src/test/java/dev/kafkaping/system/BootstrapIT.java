package dev.kafkaping.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.kafkaping.devkafka.KafkaBroker;
import dev.kafkaping.devkafka.KafkaBrokerExtension;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A bootstrap list whose first address drops connection attempts (as a host behind a firewall does)
 * and whose others are healthy: both commands work through the healthy ones.
 */
@ExtendWith(KafkaBrokerExtension.class)
class BootstrapIT {
  private static final Duration RUN = Duration.ofSeconds(60);
  private static final Map<String, String> NO_EXPORT = Map.of("OTEL_TRACES_EXPORTER", "none");
  private static ServerSocket blackHole;
  private static final List<Socket> queueFillers = new ArrayList<>();

  /**
   * A listening socket that never accepts, its accept queue filled: Linux then drops further SYNs,
   * so a connect to it neither succeeds nor is refused, it just waits.
   */
  @BeforeAll
  static void openBlackHole() throws IOException {
    blackHole = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    for (int i = 0; i < 16; i++) {
      Socket filler = new Socket();
      queueFillers.add(filler);
      try {
        filler.connect(blackHole.getLocalSocketAddress(), 300);
      } catch (SocketTimeoutException e) {
        return; // the queue is full: connects now hang
      }
    }
    throw new IllegalStateException("the accept queue never filled up");
  }

  @AfterAll
  static void closeBlackHole() throws IOException {
    for (Socket filler : queueFillers) {
      filler.close();
    }
    blackHole.close();
  }

  private static String bootstrapWithBlackHoleFirst(KafkaBroker broker) {
    String healthy = broker.bootstrapServers();
    return "127.0.0.1:" + blackHole.getLocalPort() + "," + healthy + "," + healthy;
  }

  @Test
  void shouldAnswerAPingWhenTheFirstBootstrapAddressDropsConnections(KafkaBroker broker)
      throws Exception {
    try (Socket probe = new Socket()) {
      assertThat(
              catchThrowable(
                  () ->
                      probe.connect(
                          new InetSocketAddress("127.0.0.1", blackHole.getLocalPort()), 500)))
          .as("the black hole neither accepts nor refuses")
          .isInstanceOf(SocketTimeoutException.class);
    }
    try (Wire wire = new Wire(broker.bootstrapServers());
        JavaProcess server = wire.startServer("pong", NO_EXPORT)) {
      List<String> args = new ArrayList<>(wire.clientArgs("-W", "10"));
      args.set(args.indexOf("-b") + 1, bootstrapWithBlackHoleFirst(broker));
      try (JavaProcess ping = JavaProcess.start("ping", Jars.PING, args, NO_EXPORT)) {
        assertThat(ping.awaitExit(RUN)).isZero();
        assertThat(ping.stdout()).singleElement().asString().startsWith("pong session_id=");
      }
    }
  }

  @Test
  void shouldStartTheServerWhenTheFirstBootstrapAddressDropsConnections(KafkaBroker broker)
      throws Exception {
    try (Wire wire = new Wire(broker.bootstrapServers())) {
      List<String> args = new ArrayList<>(wire.serverArgs());
      args.set(args.indexOf("-b") + 1, bootstrapWithBlackHoleFirst(broker));
      try (JavaProcess server = JavaProcess.start("pong", Jars.PONG, args, NO_EXPORT)) {
        server.awaitLine(line -> line.contains("partitions assigned"), RUN);
        wire.sendPings(3);
        Await.until("3 pongs", RUN, () -> Ledger.read(wire).answered() == 3);
        assertThat(server.isAlive()).isTrue();
      }
    }
  }
}
