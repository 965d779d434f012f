package dev.kafkaping.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kafkaping.devkafka.KafkaBroker;
import dev.kafkaping.devkafka.KafkaBrokerExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Faults with real processes and a real broker: nothing may be lost. */
@ExtendWith(KafkaBrokerExtension.class)
class ReliabilityIT {
  private static final Duration READY = Duration.ofSeconds(60);
  private static final Duration RUN = Duration.ofSeconds(90);

  private static JavaProcess server(Wire wire, String name) throws InterruptedException {
    return wire.startServer(name, Map.of());
  }

  private static List<JavaProcess> clients(Wire wire, int clients, String... args) {
    List<JavaProcess> started = new ArrayList<>();
    for (int i = 0; i < clients; i++) {
      started.add(JavaProcess.start("ping-" + i, Jars.PING, wire.clientArgs(args), Map.of()));
    }
    return started;
  }

  private static void awaitAll(List<JavaProcess> clients) throws InterruptedException {
    for (JavaProcess client : clients) {
      assertThat(client.awaitExit(RUN)).as(String.join("\n", client.allLines())).isZero();
    }
  }

  private static void closeAll(List<JavaProcess> processes) throws InterruptedException {
    for (JavaProcess process : processes) {
      process.close();
    }
  }

  /** Waits until the clients have printed this many replies in all, so faults hit mid-load. */
  private static void awaitReplies(List<JavaProcess> clients, int replies)
      throws InterruptedException {
    long deadline = System.nanoTime() + RUN.toNanos();
    while (clients.stream().mapToLong(c -> c.stdout().size()).sum() < replies) {
      assertThat(System.nanoTime()).as("replies before the fault").isLessThan(deadline);
      TimeUnit.MILLISECONDS.sleep(20); // polling interval of a deadline-bounded wait
    }
  }

  @Test
  void shouldLoseNothingWhenTheServerIsKilledAndRestartedDuringLoad(KafkaBroker broker)
      throws Exception {
    try (Wire wire = new Wire(broker.bootstrapServers())) {
      JavaProcess first = server(wire, "pong-first");
      List<JavaProcess> clients = clients(wire, 8, "-c", "200", "-i", "0.02", "-W", "30", "--json");
      JavaProcess second = null;
      try {
        awaitReplies(clients, 100 + new Random().nextInt(400));
        first.kill();
        first.awaitExit(Duration.ofSeconds(10));
        second = server(wire, "pong-restarted");
        awaitAll(clients);
        Groups.awaitCommittedToEnd(wire.bootstrap, wire.group, wire.pingTopic, RUN);
        RoundTrips result = RoundTrips.of(clients, wire.readAll(wire.pongTopic));
        result.print("R1 server SIGKILL + restart");
        assertThat(result.sent()).isEqualTo(1600);
        assertThat(result.lost()).isZero();
      } finally {
        closeAll(clients);
        first.close();
        if (second != null) {
          second.close();
        }
      }
    }
  }

  @Test
  void shouldLoseNothingWhenTheBrokerIsKilledAndRestarted(@TempDir Path dataDir) throws Exception {
    try (DevKafkaProcess kafka = new DevKafkaProcess(dataDir)) {
      kafka.start();
      try (Wire wire = new Wire(kafka.bootstrapServers());
          JavaProcess server = server(wire, "pong")) {
        List<JavaProcess> clients =
            clients(wire, 2, "-c", "150", "-i", "0.02", "-W", "60", "--json");
        try {
          awaitReplies(clients, 60);
          kafka.kill();
          kafka.start();
          awaitAll(clients);
          RoundTrips result = RoundTrips.of(clients, wire.readAll(wire.pongTopic));
          result.print("R2 broker SIGKILL + restart");
          assertThat(result.sent()).isEqualTo(300);
          assertThat(result.lost()).isZero();
          assertThat(server.isAlive()).isTrue();
        } finally {
          closeAll(clients);
        }
      }
    }
  }

  @Test
  void shouldAnswerOnceInSteadyStateAndLoseNothingWhenOneOfThreeServersDies(KafkaBroker broker)
      throws Exception {
    try (Wire wire = new Wire(broker.bootstrapServers())) {
      List<JavaProcess> servers = new ArrayList<>();
      try {
        for (int i = 0; i < 3; i++) {
          servers.add(server(wire, "pong-" + i));
        }
        Groups.awaitStableWithMembers(wire.bootstrap, wire.group, 3, READY);

        List<JavaProcess> steady = clients(wire, 2, "-c", "150", "-i", "0", "--json");
        awaitAll(steady);
        Groups.awaitCommittedToEnd(wire.bootstrap, wire.group, wire.pingTopic, RUN);
        RoundTrips steadyState = RoundTrips.of(steady, wire.readAll(wire.pongTopic));
        steadyState.print("R3 steady state, 3 servers");
        assertThat(steadyState.lost()).isZero();
        assertThat(steadyState.duplicated()).isZero();

        List<JavaProcess> duringFailover =
            clients(wire, 4, "-c", "150", "-i", "0.02", "-W", "30", "--json");
        try {
          awaitReplies(duringFailover, 150);
          servers.get(1).kill();
          awaitAll(duringFailover);
          List<JavaProcess> all = new ArrayList<>(steady);
          all.addAll(duringFailover);
          RoundTrips failover = RoundTrips.of(all, wire.readAll(wire.pongTopic));
          failover.print("R3 one of three servers SIGKILLed");
          assertThat(failover.sent()).isEqualTo(900);
          assertThat(failover.lost()).isZero();
        } finally {
          closeAll(duringFailover);
        }
      } finally {
        closeAll(servers);
      }
    }
  }

  @Test
  void shouldExitOneAfterTheWaitWhenTheServerStopsMidWait(KafkaBroker broker) throws Exception {
    try (Wire wire = new Wire(broker.bootstrapServers());
        JavaProcess server = server(wire, "pong");
        JavaProcess ping =
            JavaProcess.start(
                "ping",
                Jars.PING,
                wire.clientArgs("-c", "2", "-i", "3", "-W", "3", "-w", "60"),
                Map.of())) {
      ping.awaitLine(line -> line.startsWith("pong session_id="), RUN);
      server.terminate();
      assertThat(server.awaitExit(Duration.ofSeconds(30))).isZero();

      assertThat(ping.awaitExit(RUN)).isEqualTo(1);
      assertThat(ping.stdout())
          .anyMatch(
              line ->
                  line.startsWith("no pong session_id=")
                      && line.contains("no pong within 3000 ms"));
      assertThat(ping.stdout())
          .anyMatch(line -> line.startsWith("2 pings transmitted, 1 received, 50% loss"));
    }
  }
}
