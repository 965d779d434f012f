package dev.kafkaping.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kafkaping.devkafka.KafkaBroker;
import dev.kafkaping.devkafka.KafkaBrokerExtension;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@ExtendWith(KafkaBrokerExtension.class)
class PongServerIT {
  private static final Duration RUN = Duration.ofSeconds(90);

  @Test
  void shouldAnswerWithTheExactPongOnceWhenAPingArrivesInTheOriginalShape(KafkaBroker broker)
      throws Exception {
    try (Wire wire = new Wire(broker.bootstrapServers());
        JavaProcess server = wire.startServer("pong", Map.of())) {
      UUID session = UUID.randomUUID();
      String original =
          "{\"context\":{\"traceparent\":\"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01\"},"
              + "\"body\":{\"session_id\":\""
              + session
              + "\"}}";
      wire.send(
          wire.pingTopic,
          session.toString().getBytes(StandardCharsets.UTF_8),
          original.getBytes(StandardCharsets.UTF_8));

      // Committed means answered: after that, any second pong would already be on the topic.
      Groups.awaitCommittedToEnd(wire.bootstrap, wire.group, wire.pingTopic, RUN);
      List<ConsumerRecord<byte[], byte[]>> pongs = wire.readAll(wire.pongTopic);

      assertThat(pongs).hasSize(1);
      assertThat(Wire.text(pongs.get(0).key())).isEqualTo(session.toString());
      assertThat(Wire.text(pongs.get(0).value())).isEqualTo("{\"session_id\":\"" + session + "\"}");
      // This server's export is off, so its spans record nothing; the caller's trace goes on.
      Header traceparent = pongs.get(0).headers().lastHeader("traceparent");
      assertThat(traceparent).isNotNull();
      assertThat(Wire.text(traceparent.value()))
          .matches("00-4bf92f3577b34da6a3ce929d0e0e4736-[0-9a-f]{16}-01")
          .doesNotContain("00f067aa0ba902b7");
    }
  }

  @Test
  void shouldAnswerEveryPingOnceWhenManyArriveAtOnce(KafkaBroker broker) throws Exception {
    try (Wire wire = new Wire(broker.bootstrapServers());
        JavaProcess server = wire.startServer("pong", Map.of())) {
      wire.sendPings(500);

      Groups.awaitCommittedToEnd(wire.bootstrap, wire.group, wire.pingTopic, RUN);
      Ledger ledger = Ledger.read(wire);

      assertThat(ledger.pings()).isEqualTo(500);
      assertThat(ledger.answered()).isEqualTo(500);
      assertThat(ledger.duplicated()).isZero();
    }
  }

  @Test
  void shouldAnswerEachPingExactlyOnceWhenTwoServersShareTheGroup(KafkaBroker broker)
      throws Exception {
    try (Wire wire = new Wire(broker.bootstrapServers());
        JavaProcess first = wire.startServer("pong-1", Map.of());
        JavaProcess second = wire.startServer("pong-2", Map.of())) {
      Groups.awaitStableWithMembers(wire.bootstrap, wire.group, 2, RUN);
      wire.sendPings(300);

      Groups.awaitCommittedToEnd(wire.bootstrap, wire.group, wire.pingTopic, RUN);
      Ledger ledger = Ledger.read(wire).print("two servers in one group, steady state");

      assertThat(ledger.answered()).isEqualTo(300);
      assertThat(ledger.duplicated()).isZero();
    }
  }

  @Test
  void shouldCreateTheTopicsOnceWhenSeveralServersStartAtTheSameTime(KafkaBroker broker)
      throws Exception {
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    String ping = "fresh-ping-" + suffix;
    String pong = "fresh-pong-" + suffix;
    List<String> args =
        List.of(
            "-b",
            broker.bootstrapServers(),
            "--ping-topic",
            ping,
            "--pong-topic",
            pong,
            "--group",
            "fresh-" + suffix,
            "--partitions",
            "5");
    List<JavaProcess> servers = new ArrayList<>();
    try {
      for (int i = 0; i < 3; i++) {
        servers.add(JavaProcess.start("pong-" + i, Jars.PONG, args, Map.of()));
      }
      for (JavaProcess server : servers) {
        server.awaitLine(line -> line.contains("pong server answering"), RUN);
        assertThat(server.isAlive()).as(String.join("\n", server.allLines())).isTrue();
      }
      assertThat(servers)
          .allSatisfy(
              server ->
                  assertThat(server.allLines())
                      .noneMatch(line -> line.contains("Exception") || line.contains("error")));
      // Created by the servers (the broker's default would be 3 partitions), each exactly once.
      Map<String, TopicDescription> topics =
          describe(broker.bootstrapServers(), List.of(ping, pong, ping + ".DLT"));
      assertThat(topics).containsOnlyKeys(ping, pong, ping + ".DLT");
      assertThat(topics.values()).allSatisfy(topic -> assertThat(topic.partitions()).hasSize(5));
    } finally {
      for (JavaProcess server : servers) {
        server.close();
      }
    }
  }

  @Test
  void shouldLoseAndDuplicateNothingWhenStoppedWithSigtermWithABacklog(KafkaBroker broker)
      throws Exception {
    try (Wire wire = new Wire(broker.bootstrapServers())) {
      wire.sendPings(3000);
      int answeredByFirst;
      try (JavaProcess server = wire.startServer("pong-stopped", Map.of())) {
        wire.readUntil(wire.pongTopic, records -> records.size() >= 100, RUN);
        server.terminate();
        assertThat(server.awaitExit(Duration.ofSeconds(30))).isZero();
        answeredByFirst = wire.readAll(wire.pongTopic).size();
      }
      // The scenario's precondition: the signal landed while pings were still unanswered.
      assertThat(answeredByFirst).isLessThan(3000);

      try (JavaProcess restarted = wire.startServer("pong-restarted", Map.of())) {
        Groups.awaitCommittedToEnd(wire.bootstrap, wire.group, wire.pingTopic, RUN);
        Ledger ledger = Ledger.read(wire).print("SIGTERM with a 3000-ping backlog, restarted");

        assertThat(ledger.answered()).isEqualTo(3000);
        assertThat(ledger.lost()).isZero();
        assertThat(ledger.duplicated()).isZero();
        assertThat(ledger.answered() - answeredByFirst).isPositive();
      }
    }
  }

  @Test
  void shouldLoseNothingAndDuplicateOnlyTheUncommittedWhenKilledWithABacklog(KafkaBroker broker)
      throws Exception {
    try (Wire wire = new Wire(broker.bootstrapServers())) {
      wire.sendPings(3000);
      long uncommittedAtKill;
      try (JavaProcess server = wire.startServer("pong-killed", Map.of())) {
        wire.readUntil(wire.pongTopic, records -> records.size() >= 200, RUN);
        server.kill();
        server.awaitExit(Duration.ofSeconds(30));
        uncommittedAtKill = Groups.uncommitted(wire.bootstrap, wire.group, wire.pingTopic);
      }
      int answeredByFirst = wire.readAll(wire.pongTopic).size();
      assertThat(answeredByFirst).isLessThan(3000);

      try (JavaProcess replacement = wire.startServer("pong-replacement", Map.of())) {
        Groups.awaitCommittedToEnd(wire.bootstrap, wire.group, wire.pingTopic, RUN);
        Ledger ledger = Ledger.read(wire).print("SIGKILL with a 3000-ping backlog, replaced");

        assertThat(ledger.answered()).isEqualTo(3000);
        assertThat(ledger.lost()).isZero();
        // Only pings above the committed offsets can be answered twice.
        assertThat((long) ledger.duplicated()).isLessThanOrEqualTo(uncommittedAtKill);
      }
    }
  }

  @Test
  void shouldAnswerAndTellEachMachinesStoryWhenTheBrokerAndLogLevelComeFromTheEnvironment(
      KafkaBroker broker) throws Exception {
    try (Wire wire = new Wire(broker.bootstrapServers());
        JavaProcess server =
            JavaProcess.start(
                "pong-env",
                Jars.PONG,
                withoutBootstrap(wire.serverArgs()),
                Map.of("KAFKA_BOOTSTRAP_SERVERS", wire.bootstrap, "LOG_LEVEL", "debug"))) {
      server.awaitLine(line -> line.contains("partitions assigned"), RUN);
      UUID session = UUID.randomUUID();
      wire.sendPing(session);

      Groups.awaitCommittedToEnd(wire.bootstrap, wire.group, wire.pingTopic, RUN);
      assertThat(Wire.pongSessions(wire.readAll(wire.pongTopic)))
          .containsExactly(session.toString());
      assertThat(server.allLines())
          .anyMatch(line -> line.contains("pong server answering") && line.contains(wire.bootstrap))
          .anyMatch(
              line ->
                  line.contains(" DEBUG ")
                      && line.endsWith("Pong:" + session + " entered SendingPong"));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"INT", "TERM"})
  void shouldExitAtOnceWith130Or143WhenASecondSignalComesWhileTheStopWaitsForARunningPing(
      String signal, KafkaBroker broker) throws Exception {
    try (Wire wire = new Wire(broker.bootstrapServers())) {
      // The pong lingers in the producer for 60 s before it is sent, so the ping keeps running
      // and a first signal's stop waits for it about that long.
      try (JavaProcess server =
          JavaProcess.start(
              "pong-" + signal,
              Jars.PONG,
              wire.serverArgs("-X", "linger.ms=60000", "--budget", "90s", "--log-level", "debug"),
              Map.of())) {
        server.awaitLine(line -> line.contains("partitions assigned"), RUN);
        UUID session = UUID.randomUUID();
        wire.sendPing(session);
        server.awaitLine(line -> line.endsWith("Pong:" + session + " entered SendingPong"), RUN);

        server.signal(signal);
        // The stop has begun: without a backlog only the stop pauses the partitions (this is the
        // Kafka consumer's own debug line).
        server.awaitLine(line -> line.contains("Pausing partitions"), RUN);
        long second = System.nanoTime();
        server.signal(signal);
        int exit = server.awaitExit(RUN);
        Duration exiting = since(second);

        assertThat(exit).isEqualTo(signal.equals("INT") ? 130 : 143);
        assertThat(exiting).isLessThan(Duration.ofSeconds(5));
        // At once: no stop line, no final commit; the ping is left to the next owner.
        assertThat(server.allLines())
            .noneMatch(line -> line.contains("stopping:") || line.contains("stopped:"));
        assertThat(wire.readAll(wire.pongTopic)).isEmpty();
        assertThat(Groups.uncommitted(wire.bootstrap, wire.group, wire.pingTopic)).isEqualTo(1);
      }
    }
  }

  @Test
  void shouldWarnOnceAtStopThatSomeTracesCouldNotBeExportedWhenNoCollectorListens(
      KafkaBroker broker) throws Exception {
    String endpoint = "http://127.0.0.1:" + closedPort();
    Map<String, String> env =
        Map.of(
            "OTEL_TRACES_EXPORTER", "otlp",
            "OTEL_EXPORTER_OTLP_ENDPOINT", endpoint,
            // Exports while it runs too, not only at the stop.
            "OTEL_BSP_SCHEDULE_DELAY", "100");
    try (Wire wire = new Wire(broker.bootstrapServers());
        JavaProcess server = wire.startServer("pong-no-collector", env)) {
      wire.sendPings(3);
      Groups.awaitCommittedToEnd(wire.bootstrap, wire.group, wire.pingTopic, RUN);
      assertThat(server.stderr()).noneMatch(line -> line.contains("could not be exported"));

      server.terminate();

      assertThat(server.awaitExit(RUN)).isZero();
      String warning = "pong: warning: some traces could not be exported to " + endpoint;
      List<String> stderr = server.ourStderr();
      assertThat(stderr).filteredOn(line -> line.startsWith("pong:")).containsExactly(warning);
      assertThat(stderr).last().isEqualTo(warning);
      assertThat(stderr).anyMatch(line -> line.contains("stopped: pings received=3 "));
    }
  }

  @Test
  void shouldExitTwoWithOneLineWhenTheBrokerIsUnreachable() throws Exception {
    try (JavaProcess server =
        JavaProcess.start(
            "pong-nobroker",
            Jars.PONG,
            List.of("-b", "127.0.0.1:1", "--startup-timeout", "3s"),
            Map.of())) {
      assertThat(server.awaitExit(Duration.ofSeconds(60))).isEqualTo(2);
      assertThat(server.ourStderr())
          .containsExactly("pong: cannot reach Kafka at 127.0.0.1:1 (connection refused)");
    }
  }

  /** The broker's topics and their partitions, as a third party sees them. */
  private static Map<String, TopicDescription> describe(String bootstrap, List<String> topics)
      throws Exception {
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      return admin.describeTopics(topics).allTopicNames().get();
    }
  }

  /** Arguments without {@code -b ADDRESS}, so that the broker comes from the environment. */
  private static List<String> withoutBootstrap(List<String> args) {
    List<String> without = new ArrayList<>(args);
    int option = without.indexOf("-b");
    without.subList(option, option + 2).clear();
    return without;
  }

  /** A local port with nothing listening: connections to it are refused at once. */
  private static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static Duration since(long nanoTime) {
    return Duration.ofNanos(System.nanoTime() - nanoTime);
  }
}
