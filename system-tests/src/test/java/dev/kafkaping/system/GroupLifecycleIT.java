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
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Servers joining and leaving a group under load, and stopping with the broker gone. */
@ExtendWith(KafkaBrokerExtension.class)
@Timeout(300)
class GroupLifecycleIT {
  private static final Duration RUN = Duration.ofSeconds(120);
  private static final Pattern STOP_LINE =
      Pattern.compile("stopping: (\\d+) ping\\(s\\) unanswered");

  @Test
  void shouldAnswerEveryPingOnceWhenServersJoinAndLeaveCleanlyUnderLoad(KafkaBroker broker)
      throws Exception {
    try (Wire wire = new Wire(broker.bootstrapServers())) {
      List<JavaProcess> processes = new ArrayList<>();
      try {
        JavaProcess first = wire.startServer("pong-1", Map.of());
        JavaProcess second = wire.startServer("pong-2", Map.of());
        processes.addAll(List.of(first, second));
        List<JavaProcess> clients = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
          clients.add(
              JavaProcess.start(
                  "ping-" + i,
                  Jars.PING,
                  wire.clientArgs("-c", "150", "-i", "0.02", "-W", "60", "--json"),
                  Map.of()));
        }
        processes.addAll(clients);
        Replies.await(clients, 100, RUN);

        JavaProcess third = wire.startServer("pong-3", Map.of()); // joins mid-load
        processes.add(third);
        Replies.await(clients, 250, RUN);
        List<JavaProcess> stayers = List.of(second, third);
        Await.until("pong-1 owning a partition", RUN, () -> !Handover.owned(first).isEmpty());
        Handover.Before before = Handover.mark(stayers);
        stopCleanly(first); // leaves mid-load
        // From the leaver's stop line to the last of its partitions assigned to a stayer, by the
        // servers' own clocks.
        LocalTime stopped = Handover.firstLoggedAt(first, "stopping:");
        Set<String> handedOver = Handover.revokedAfter(first, "stopping:");
        LocalTime takenOver = Handover.awaitTakenOver(before, handedOver, stopped, RUN);
        Duration handover = Handover.between(stopped, takenOver);
        FailureTable.time(
            "clean stop: the leaver's stop line to its partitions' new owner", handover);
        // A clean stop leaves the group at once: far less than the 6 s session timeout.
        assertThat(handover).isLessThan(Duration.ofSeconds(4));
        Replies.await(clients, 400, RUN);
        stopCleanly(second);
        for (JavaProcess client : clients) {
          assertThat(client.awaitExit(RUN)).as(String.join("\n", client.allLines())).isZero();
        }
        Groups.awaitCommittedToEnd(wire.bootstrap, wire.group, wire.pingTopic, RUN);
        stopCleanly(third);

        Ledger ledger = Ledger.read(wire).print("rebalance under load, clean stops");
        assertThat(ledger.pings()).isEqualTo(600);
        assertThat(ledger.lost()).isZero();
        assertThat(ledger.duplicated()).isZero();
        assertThat(first.allLines()).anyMatch(line -> line.contains("partitions revoked"));
      } finally {
        for (JavaProcess process : processes) {
          process.close();
        }
      }
    }
  }

  @Test
  void shouldExitWithinTenSecondsAndSayWhatIsUnansweredWhenStoppedWithTheBrokerDown(
      @TempDir Path dataDir) throws Exception {
    try (DevKafkaProcess kafka = new DevKafkaProcess(dataDir)) {
      kafka.start();
      try (Wire wire = new Wire(kafka.bootstrapServers())) {
        wire.sendPings(5000);
        try (JavaProcess server = wire.startServer("pong", Map.of())) {
          wire.readUntil(wire.pongTopic, pongs -> pongs.size() >= 50, RUN);
          kafka.kill();

          long signalled = System.nanoTime();
          server.terminate();
          int exit = server.awaitExit(Duration.ofSeconds(30));
          Duration stopping = Duration.ofNanos(System.nanoTime() - signalled);

          FailureTable.time("SIGTERM with the broker down: the server's exit", stopping);
          assertThat(exit).isZero();
          assertThat(stopping).isLessThan(Duration.ofSeconds(10));
          String line = server.awaitLine(l -> STOP_LINE.matcher(l).find(), Duration.ZERO);
          Matcher unanswered = STOP_LINE.matcher(line);
          assertThat(unanswered.find()).isTrue();
          // The scenario's precondition: pings were still in flight when the broker went away.
          assertThat(Integer.parseInt(unanswered.group(1))).isPositive();
        }
      }
    }
  }

  private static void stopCleanly(JavaProcess server) throws InterruptedException {
    server.terminate();
    assertThat(server.awaitExit(Duration.ofSeconds(30)))
        .as(String.join("\n", server.allLines()))
        .isZero();
    assertThat(server.allLines()).anyMatch(line -> line.contains("stopping:"));
  }
}
