package dev.kafkaping.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kafkaping.devkafka.KafkaBroker;
import dev.kafkaping.devkafka.KafkaBrokerExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

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
    List<String> args =
        List.of(
            "-b", broker.bootstrapServers(),
            "--ping-topic", "fresh-ping-" + suffix,
            "--pong-topic", "fresh-pong-" + suffix,
            "--group", "fresh-" + suffix);
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
}
