package dev.kafkaping.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kafkaping.devkafka.KafkaBroker;
import dev.kafkaping.devkafka.KafkaBrokerExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Faults with real processes and a real broker: nothing may be lost. */
@ExtendWith(KafkaBrokerExtension.class)
class ReliabilityIT {
  private static final Duration READY = Duration.ofSeconds(60);
  private static final Duration RUN = Duration.ofSeconds(90);
  private static final Pattern FAILED_ATTEMPT = Pattern.compile(" attempt (\\d+) failed: ");
  private static final int PINGS = 50_000;
  private static final Map<String, String> NO_EXPORT = Map.of("OTEL_TRACES_EXPORTER", "none");

  private static JavaProcess server(Wire wire, String name) throws InterruptedException {
    return wire.startServer(name, Map.of());
  }

  private static boolean sixthAttemptFailed(String line) {
    Matcher attempt = FAILED_ATTEMPT.matcher(line);
    return attempt.find() && Integer.parseInt(attempt.group(1)) >= 6;
  }

  private static void awaitReplies(List<JavaProcess> clients, int replies) {
    Replies.await(clients, replies, RUN);
  }

  @Test
  void shouldLoseNothingWhenTheServerIsKilledAndRestartedDuringLoad(KafkaBroker broker)
      throws Exception {
    try (Wire wire = new Wire(broker.bootstrapServers())) {
      JavaProcess first = server(wire, "pong-first");
      List<JavaProcess> clients =
          Clients.start(wire, 8, "-c", "200", "-i", "0.02", "-W", "30", "--json");
      JavaProcess second = null;
      try {
        long seed = System.nanoTime();
        int repliesBeforeKill = 100 + new Random(seed).nextInt(400);
        System.out.printf("R1: seed %d, kill after %d replies%n", seed, repliesBeforeKill);
        awaitReplies(clients, repliesBeforeKill);
        first.kill();
        first.awaitExit(Duration.ofSeconds(10));
        long uncommittedAtKill = Groups.uncommitted(wire.bootstrap, wire.group, wire.pingTopic);
        second = server(wire, "pong-restarted");
        Clients.awaitExitZero(clients, RUN);
        Groups.awaitCommittedToEnd(wire.bootstrap, wire.group, wire.pingTopic, RUN);
        Ledger ledger =
            Ledger.read(wire).print("R1 8 clients x 200 pings, server SIGKILLed, restarted");
        assertThat(ledger.pings()).isEqualTo(1600);
        assertThat(ledger.lost()).isZero();
        assertThat((long) ledger.duplicated()).isLessThanOrEqualTo(uncommittedAtKill);
      } finally {
        Clients.closeAll(clients);
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
            Clients.start(wire, 2, "-c", "150", "-i", "0.02", "-W", "60", "--json");
        try {
          awaitReplies(clients, 60);
          kafka.kill();
          // The operator's view: one line when the broker goes, one when it is back.
          server.awaitLine(line -> line.contains("lost the broker"), RUN);
          kafka.start();
          server.awaitLine(line -> line.contains("reconnected to the broker"), RUN);
          Clients.awaitExitZero(clients, RUN);
          Groups.awaitCommittedToEnd(wire.bootstrap, wire.group, wire.pingTopic, RUN);
          Ledger ledger =
              Ledger.read(wire).print("R2 broker SIGKILLed and restarted during 2 x 150 pings");
          assertThat(ledger.pings()).isGreaterThanOrEqualTo(300); // a retried send may repeat one
          assertThat(ledger.lost()).isZero();
          assertThat(server.isAlive()).isTrue();
        } finally {
          Clients.closeAll(clients);
        }
      }
    }
  }

  @Test
  void shouldAnswerNoPingMoreThanTwiceWhenTheBrokerIsDown30sWithEverySlotInFlight(
      @TempDir Path dataDir) throws Exception {
    try (DevKafkaProcess kafka = new DevKafkaProcess(dataDir)) {
      kafka.start();
      try (Wire wire = new Wire(kafka.bootstrapServers())) {
        wire.queuePings(PINGS);
        try (JavaProcess server =
            JavaProcess.start(
                "pong", Jars.PONG, wire.serverArgs("--max-in-flight", "1000"), NO_EXPORT)) {
          // Kill the broker while the server drains the queue: every slot holds a ping then.
          wire.readUntil(wire.pongTopic, pongs -> !pongs.isEmpty(), RUN);
          kafka.kill();
          server.awaitLine(line -> line.contains("lost the broker"), RUN);
          // The outage lasts until the server has tried its pings six times (about 30 s with the
          // 5 s budget): every pong in flight has expired in the producer and been sent again.
          server.awaitLine(ReliabilityIT::sixthAttemptFailed, RUN);
          kafka.start();
          server.awaitLine(line -> line.contains("reconnected to the broker"), RUN);
          Groups.awaitCommittedToEnd(wire.bootstrap, wire.group, wire.pingTopic, RUN);
          Ledger ledger =
              Ledger.read(wire)
                  .print("R10 broker SIGKILLed for 30 s while draining 50000 queued pings");
          assertThat(ledger.pings()).isEqualTo(PINGS);
          assertThat(ledger.lost()).isZero();
          // At-least-once allows one pong before the outage and one after it, never a third.
          assertThat(ledger.mostPongsForOnePing()).isLessThanOrEqualTo(2);
          assertThat(server.isAlive()).isTrue();
        }
      }
    }
  }

  @Test
  void shouldSayOnceEachWayWhenTheBrokerStopsCleanlyAndComesBack(@TempDir Path dataDir)
      throws Exception {
    try (DevKafkaProcess kafka = new DevKafkaProcess(dataDir)) {
      kafka.start();
      try (Wire wire = new Wire(kafka.bootstrapServers());
          JavaProcess server = server(wire, "pong")) {
        kafka.stop(); // SIGTERM: the broker's controlled shutdown, on an idle server
        server.awaitLine(line -> line.contains("lost the broker"), RUN);
        kafka.start();
        server.awaitLine(line -> line.contains("reconnected to the broker"), RUN);
        assertThat(server.stderr()).filteredOn(line -> line.contains("lost the broker")).hasSize(1);
        List<JavaProcess> clients = Clients.start(wire, 1, "-c", "3", "-i", "0");
        Clients.awaitExitZero(clients, RUN);
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

        List<JavaProcess> steady = Clients.start(wire, 2, "-c", "150", "-i", "0", "--json");
        Clients.awaitExitZero(steady, RUN);
        Groups.awaitCommittedToEnd(wire.bootstrap, wire.group, wire.pingTopic, RUN);
        Ledger steadyState = Ledger.read(wire).print("R3 three servers in one group, steady state");
        assertThat(steadyState.pings()).isEqualTo(300);
        assertThat(steadyState.lost()).isZero();
        assertThat(steadyState.duplicated()).isZero();

        List<JavaProcess> duringFailover =
            Clients.start(wire, 4, "-c", "150", "-i", "0.02", "-W", "30", "--json");
        try {
          awaitReplies(duringFailover, 150);
          List<JavaProcess> survivors = List.of(servers.get(0), servers.get(2));
          Handover.Before before = Handover.mark(survivors);
          LocalTime killed = LocalTime.now();
          servers.get(1).kill();
          servers.get(1).awaitExit(Duration.ofSeconds(10));
          // Read at the crash, before the survivors take over and commit what they answer: what
          // can be answered twice is what nobody had committed when the server died.
          long uncommittedAtKill = Groups.uncommitted(wire.bootstrap, wire.group, wire.pingTopic);
          Set<String> orphaned = Handover.owned(servers.get(1));
          // From the SIGKILL to the last of its partitions assigned to a survivor, as logged.
          Duration failover =
              Handover.between(killed, Handover.awaitTakenOver(before, orphaned, killed, RUN));
          FailureTable.time("SIGKILL: the killed server's partitions to a survivor", failover);
          // The group's 6 s session timeout, then one cooperative rebalance.
          assertThat(failover).isLessThan(Duration.ofSeconds(10));
          Clients.awaitExitZero(duringFailover, RUN);
          Groups.awaitCommittedToEnd(wire.bootstrap, wire.group, wire.pingTopic, RUN);
          Ledger all = Ledger.read(wire);
          Ledger afterKill =
              new Ledger(
                      all.pings() - steadyState.pings(),
                      all.answered() - steadyState.answered(),
                      all.lost(),
                      all.duplicated(),
                      all.mostPongsForOnePing())
                  .print("R3 one of the three SIGKILLed during 4 x 150 pings");
          assertThat(afterKill.pings()).isEqualTo(600);
          // The rebalance after a peer's death pauses heartbeats; the broker was never lost.
          for (JavaProcess survivor : survivors) {
            assertThat(survivor.stderr()).noneMatch(line -> line.contains("lost the broker"));
          }
          assertThat(afterKill.lost()).isZero();
          assertThat((long) afterKill.duplicated()).isLessThanOrEqualTo(uncommittedAtKill);
        } finally {
          Clients.closeAll(duringFailover);
        }
      } finally {
        Clients.closeAll(servers);
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
                wire.clientArgs("-c", "2", "-i", "8", "-W", "3", "-w", "60"),
                Map.of())) {
      ping.awaitLine(line -> line.startsWith("pong session_id="), RUN);
      server.terminate();
      assertThat(server.awaitExit(Duration.ofSeconds(30))).isZero();
      // The second ping goes out 8 s after the first: the server must be gone by then.
      assertThat(ping.stdout()).hasSize(1);

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
