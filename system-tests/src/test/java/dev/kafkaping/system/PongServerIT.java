package dev.kafkaping.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kafkaping.devkafka.KafkaBroker;
import dev.kafkaping.devkafka.KafkaBrokerExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(KafkaBrokerExtension.class)
class PongServerIT {
  private static final Duration READY = Duration.ofSeconds(30);

  private static JavaProcess startServer(Wire wire, String name, String... more)
      throws InterruptedException {
    JavaProcess server = JavaProcess.start(name, Jars.PONG, wire.serverArgs(more), Map.of());
    server.awaitLine(line -> line.contains("partitions assigned"), READY);
    return server;
  }

  @Test
  void shouldAnswerWithTheExactPongWhenAPingArrivesInTheOriginalShape(KafkaBroker broker)
      throws Exception {
    try (Wire wire = new Wire(broker.bootstrapServers());
        JavaProcess server = startServer(wire, "pong")) {
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

      List<ConsumerRecord<byte[], byte[]>> pongs =
          wire.readUntil(wire.pongTopic, records -> !records.isEmpty(), Duration.ofSeconds(20));

      assertThat(pongs).hasSize(1);
      assertThat(Wire.text(pongs.get(0).key())).isEqualTo(session.toString());
      assertThat(Wire.text(pongs.get(0).value())).isEqualTo("{\"session_id\":\"" + session + "\"}");
      assertThat(server.isAlive()).isTrue();
    }
  }

  @Test
  void shouldAnswerEveryPingWhenManyArriveAtOnce(KafkaBroker broker) throws Exception {
    try (Wire wire = new Wire(broker.bootstrapServers());
        JavaProcess server = startServer(wire, "pong")) {
      Set<String> sessions = new HashSet<>(wire.sendPings(500));

      List<ConsumerRecord<byte[], byte[]>> pongs =
          wire.readUntil(
              wire.pongTopic,
              records -> new HashSet<>(Wire.pongSessions(records)).containsAll(sessions),
              Duration.ofSeconds(60));

      assertThat(new HashSet<>(Wire.pongSessions(pongs))).isEqualTo(sessions);
    }
  }

  @Test
  void shouldAnswerEachPingExactlyOnceWhenTwoServersShareTheGroup(KafkaBroker broker)
      throws Exception {
    try (Wire wire = new Wire(broker.bootstrapServers());
        JavaProcess first = startServer(wire, "pong-1");
        JavaProcess second = startServer(wire, "pong-2")) {
      Groups.awaitStableWithMembers(wire.bootstrap, wire.group, 2, READY);
      List<String> sessions = wire.sendPings(300);

      Groups.awaitCommittedToEnd(
          wire.bootstrap, wire.group, wire.pingTopic, Duration.ofSeconds(60));
      List<String> answered = Wire.pongSessions(wire.readAll(wire.pongTopic));

      assertThat(answered).hasSameSizeAs(sessions).containsExactlyInAnyOrderElementsOf(sessions);
      assertThat(first.allLines()).anyMatch(line -> line.contains("partitions assigned"));
      assertThat(second.allLines()).anyMatch(line -> line.contains("partitions assigned"));
    }
  }

  @Test
  void shouldLoseNoPingWhenStoppedWithSigtermWhilePingsAreInFlight(KafkaBroker broker)
      throws Exception {
    try (Wire wire = new Wire(broker.bootstrapServers())) {
      List<String> sessions = wire.sendPings(3000);
      try (JavaProcess server = startServer(wire, "pong-stopped")) {
        wire.readUntil(wire.pongTopic, records -> records.size() >= 100, Duration.ofSeconds(30));
        server.terminate();
        assertThat(server.awaitExit(Duration.ofSeconds(20))).isZero();
        assertThat(server.allLines()).anyMatch(line -> line.contains("stopped: pings received="));
      }
      try (JavaProcess restarted = startServer(wire, "pong-restarted")) {
        List<String> answered =
            Wire.pongSessions(
                wire.readUntil(
                    wire.pongTopic,
                    records -> new HashSet<>(Wire.pongSessions(records)).containsAll(sessions),
                    Duration.ofSeconds(60)));
        Groups.awaitCommittedToEnd(
            wire.bootstrap, wire.group, wire.pingTopic, Duration.ofSeconds(60));
        System.out.printf(
            "SIGTERM: sent=%d answered=%d duplicates=%d%n",
            sessions.size(),
            new HashSet<>(answered).size(),
            answered.size() - new HashSet<>(answered).size());
        assertThat(new HashSet<>(answered)).containsAll(sessions);
      }
    }
  }

  @Test
  void shouldAnswerEveryPingWhenKilledMidLoadAndReplaced(KafkaBroker broker) throws Exception {
    try (Wire wire = new Wire(broker.bootstrapServers())) {
      List<String> sessions = wire.sendPings(3000);
      try (JavaProcess server = startServer(wire, "pong-killed")) {
        wire.readUntil(wire.pongTopic, records -> records.size() >= 200, Duration.ofSeconds(30));
        server.kill();
        server.awaitExit(Duration.ofSeconds(10));
      }
      try (JavaProcess replacement = startServer(wire, "pong-replacement")) {
        List<String> answered =
            Wire.pongSessions(
                wire.readUntil(
                    wire.pongTopic,
                    records -> new HashSet<>(Wire.pongSessions(records)).containsAll(sessions),
                    Duration.ofSeconds(90)));
        Set<String> distinct = new HashSet<>(answered);
        System.out.printf(
            "SIGKILL: sent=%d answered=%d duplicates=%d%n",
            sessions.size(), distinct.size(), answered.size() - distinct.size());
        assertThat(distinct).containsAll(sessions);
      }
    }
  }

  @Test
  void shouldExitTwoWithOneLineWhenTheBrokerIsUnreachable() throws Exception {
    long started = System.nanoTime();
    try (JavaProcess server =
        JavaProcess.start(
            "pong-nobroker",
            Jars.PONG,
            List.of("-b", "127.0.0.1:1", "--startup-timeout", "3s"),
            Map.of())) {
      assertThat(server.awaitExit(Duration.ofSeconds(30))).isEqualTo(2);
      assertThat(
              server.stderr().stream()
                  .filter(l -> !l.startsWith("WARNING"))
                  .collect(Collectors.toList()))
          .containsExactly("pong: cannot reach Kafka at 127.0.0.1:1 (connection refused)");
    }
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(20));
  }
}
