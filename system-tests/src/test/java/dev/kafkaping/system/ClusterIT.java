package dev.kafkaping.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kafkaping.devkafka.KafkaCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.common.TopicPartitionInfo;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults in a three-broker cluster (replication factor 3, min.insync.replicas 2), with real
 * processes: brokers are killed and stopped, and nothing may be lost.
 */
@ExtendWith(KafkaClusterExtension.class)
class ClusterIT {
  private static final Duration READY = Duration.ofSeconds(120);
  private static final Duration RUN = Duration.ofSeconds(120);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Every test starts with three serving nodes and every partition fully replicated. */
  @BeforeEach
  void allThreeServe(KafkaCluster cluster) throws Exception {
    for (KafkaCluster.Node node : cluster.nodes()) {
      if (!node.isAlive()) {
        node.start();
        node.awaitReady(READY);
      }
    }
    awaitEveryTopicFullyReplicated(cluster);
  }

  /** Internal topics included: a commit needs two in-sync replicas of its offsets partition. */
  private static void awaitEveryTopicFullyReplicated(KafkaCluster cluster) throws Exception {
    try (Admin admin = cluster.admin()) {
      Set<String> topics =
          admin.listTopics(new ListTopicsOptions().listInternal(true)).names().get();
      cluster.awaitFullyReplicated(topics, READY);
    }
  }

  private interface NodeChoice {
    int node() throws Exception;
  }

  private record Fault(int node, int repliesBefore) {}

  /**
   * Four clients send 200 pings each: once 100 replies are in, SIGKILLs the chosen node (while the
   * clients still ping, or the test proves nothing), then waits until every client has exited 0 and
   * the server has committed every ping.
   */
  private static Fault killMidRun(
      KafkaCluster cluster, Wire wire, List<JavaProcess> clients, NodeChoice victim)
      throws Exception {
    Replies.await(clients, 100, RUN);
    int node = victim.node();
    int repliesBefore = replies(clients);
    assertThat(repliesBefore).as("replies before the fault").isLessThan(800);
    cluster.node(node).kill();
    Clients.awaitExitZero(clients, RUN);
    Groups.awaitCommittedToEnd(wire.bootstrap, wire.group, wire.pingTopic, RUN);
    return new Fault(node, repliesBefore);
  }

  private static void assertNoPingTimedOut(List<JavaProcess> clients) {
    for (JavaProcess client : clients) {
      assertThat(client.stdout()).noneMatch(line -> line.contains("\"type\":\"timeout\""));
    }
  }

  @Test
  void shouldLoseNothingWhenThePartitionLeaderIsKilledAndNotRestarted(KafkaCluster cluster)
      throws Exception {
    try (Wire wire = new Wire(cluster.bootstrapServers());
        JavaProcess server = wire.startServer("pong", Map.of())) {
      List<JavaProcess> clients =
          Clients.start(wire, 4, "-c", "200", "-i", "0.02", "-W", "30", "--json");
      try {
        Fault fault =
            killMidRun(
                cluster,
                wire,
                clients,
                () -> busiestLeader(cluster, List.of(wire.pingTopic, wire.pongTopic)));
        Ledger ledger =
            Ledger.read(wire)
                .print("R7 3 brokers, the busiest leader SIGKILLed, not restarted: 4 x 200 pings");
        System.out.printf(
            "FIGURES R7 killed node %d after %d replies%n", fault.node(), fault.repliesBefore());
        FailureTable.time("R7 the longest round trip while a leader was killed", longest(clients));
        assertThat(ledger.pings()).isGreaterThanOrEqualTo(800); // a retried send may repeat one
        assertThat(ledger.lost()).isZero();
        assertNoPingTimedOut(clients);
        assertThat(server.isAlive()).isTrue();
      } finally {
        Clients.closeAll(clients);
      }
    }
  }

  @Test
  void shouldLoseNothingAndCommitToTheNewCoordinatorWhenTheCoordinatorIsKilled(KafkaCluster cluster)
      throws Exception {
    try (Wire wire = new Wire(cluster.bootstrapServers());
        JavaProcess server = wire.startServer("pong", Map.of())) {
      Groups.awaitStableWithMembers(wire.bootstrap, wire.group, 1, READY);
      List<JavaProcess> clients =
          Clients.start(wire, 4, "-c", "200", "-i", "0.02", "-W", "30", "--json");
      try {
        Fault fault = killMidRun(cluster, wire, clients, () -> coordinator(cluster, wire.group));
        int newCoordinator = coordinator(cluster, wire.group);
        Ledger ledger =
            Ledger.read(wire).print("R8 3 brokers, the group coordinator SIGKILLed: 4 x 200 pings");
        System.out.printf(
            "FIGURES R8 coordinator moved from node %d to node %d after %d replies%n",
            fault.node(), newCoordinator, fault.repliesBefore());
        FailureTable.time(
            "R8 the longest round trip while the coordinator was killed", longest(clients));
        assertThat(newCoordinator).isNotEqualTo(fault.node());
        assertThat(ledger.pings()).isGreaterThanOrEqualTo(800);
        assertThat(ledger.lost()).isZero();
        assertNoPingTimedOut(clients);
        assertThat(server.isAlive()).isTrue();
      } finally {
        Clients.closeAll(clients);
      }
    }
  }

  @Test
  void shouldLoseNothingDuringARollingRestart(KafkaCluster cluster) throws Exception {
    try (Wire wire = new Wire(cluster.bootstrapServers());
        JavaProcess server = wire.startServer("pong", Map.of())) {
      // Until the deadline, which they never reach: they are stopped once the third node is back.
      List<JavaProcess> clients =
          Clients.start(wire, 2, "-w", "600", "-i", "0.02", "-W", "30", "--json");
      try {
        Replies.await(clients, 50, RUN);
        for (KafkaCluster.Node node : cluster.nodes()) {
          int before = replies(clients);
          assertThat(node.stop()).as("node %d stopped cleanly", node.id()).isTrue();
          node.start();
          node.awaitReady(READY);
          awaitEveryTopicFullyReplicated(cluster);
          // Load went on while this node was away or catching up.
          Replies.await(clients, before + 20, RUN);
        }
        clients.forEach(JavaProcess::terminate);
        Clients.awaitExitZero(clients, RUN);
        Groups.awaitCommittedToEnd(wire.bootstrap, wire.group, wire.pingTopic, RUN);
        Ledger ledger =
            Ledger.read(wire)
                .print("R9 3 brokers restarted one by one (SIGTERM) under 2 clients' load");
        FailureTable.time("R9 the longest round trip during a rolling restart", longest(clients));
        assertThat(ledger.lost()).isZero();
        assertNoPingTimedOut(clients);
        assertThat(server.isAlive()).isTrue();
      } finally {
        Clients.closeAll(clients);
      }
    }
  }

  @Test
  void shouldAnswerAllWhenThirtyTwoSingleShotsRunAtOnceAgainstTheCluster(
      KafkaCluster cluster, @TempDir Path root) throws Exception {
    // As a user's first loop of bin/ping runs them: a fresh copy (one run records the AOT cache)
    // and the default exporter with no collector listening. -W 60: 32 JVMs, three brokers and the
    // server share two cores, and with a second build on them a round trip took more than the
    // default 15 s (PingClientIT holds the default, against one broker).
    BinPingCopy binPing = BinPingCopy.in(root);
    Map<String, String> noCollector =
        Map.of("OTEL_TRACES_EXPORTER", "otlp", "OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:1");
    try (Wire wire = new Wire(cluster.bootstrapServers());
        JavaProcess server = wire.startServer("pong", Map.of())) {
      Groups.awaitStableWithMembers(wire.bootstrap, wire.group, 1, READY);
      List<JavaProcess> pings = new ArrayList<>();
      try {
        for (int i = 0; i < 32; i++) {
          List<String> command = new ArrayList<>(List.of("bash", binPing.script().toString()));
          command.addAll(wire.clientArgs("-W", "60"));
          pings.add(JavaProcess.launch("ping-" + i, command, noCollector));
        }
        // 32 JVMs, three brokers and the server share two cores here.
        Clients.awaitExitZero(pings, RUN);
        for (JavaProcess ping : pings) {
          assertThat(ping.stdout()).singleElement().asString().startsWith("pong session_id=");
          assertThat(ping.ourStderr())
              .containsExactly("ping: warning: traces could not be exported to http://127.0.0.1:1");
        }
      } finally {
        Clients.closeAll(pings);
        binPing.awaitRecordingDone(READY);
      }
      Groups.awaitCommittedToEnd(wire.bootstrap, wire.group, wire.pingTopic, RUN);
      Ledger ledger = Ledger.read(wire).print("32 bin/ping single shots at once against 3 brokers");
      assertThat(ledger.pings()).isEqualTo(32);
      assertThat(ledger.lost()).isZero();
      assertThat(ledger.duplicated()).isZero();
    }
  }

  @Test
  void shouldFollowEveryPartitionThroughABrokersDeathToItsNewLeaders(KafkaCluster cluster)
      throws Exception {
    try (Wire wire = new Wire(cluster.bootstrapServers());
        JavaProcess server = wire.startServer("pong", Map.of())) {
      Groups.awaitStableWithMembers(wire.bootstrap, wire.group, 1, READY);
      Map<Integer, Integer> pingLeaders = leaders(cluster, wire.pingTopic);
      Map<Integer, Integer> pongLeaders = leaders(cluster, wire.pongTopic);
      int coordinator = coordinator(cluster, wire.group);
      // The broker whose death touches the fewest partitions (a round trip crosses partition p of
      // both topics), not the group's coordinator (whose death pauses the server's whole group).
      int victim =
          cluster.nodes().stream()
              .map(KafkaCluster.Node::id)
              .filter(id -> id != coordinator)
              .filter(id -> !touched(id, pingLeaders, pongLeaders).isEmpty())
              .min(Comparator.comparingInt(id -> touched(id, pingLeaders, pongLeaders).size()))
              .orElseThrow();
      Set<Integer> touched = touched(victim, pingLeaders, pongLeaders);
      assertThat(touched).as("partitions the victim leads").hasSizeLessThan(pingLeaders.size());

      JavaProcess canary =
          JavaProcess.start(
              "canary",
              Jars.PING,
              wire.clientArgs("--every-partition", "-c", "0", "-i", "0.05", "-W", "30", "--json"),
              Map.of());
      try (canary) {
        Replies.await(List.of(canary), 30, RUN);
        int before = canary.stdout().size();
        cluster.node(victim).kill();
        // Until every partition, touched ones too, has been answered again for a while.
        Await.until(
            "20 pongs on every partition after the kill",
            RUN,
            () -> {
              List<String> out = canary.stdout();
              List<String> after = out.subList(before, out.size());
              return pingLeaders.keySet().stream()
                  .allMatch(
                      partition ->
                          after.stream()
                                  .filter(line -> line.startsWith("{\"type\":\"pong\""))
                                  .filter(line -> line.contains("\"partition\":" + partition + ","))
                                  .count()
                              >= 20);
            });
        canary.terminate();
        assertThat(canary.awaitExit(RUN)).as(String.join("\n", canary.allLines())).isZero();
      }

      Map<Integer, Double> longest = new TreeMap<>();
      JsonNode summary = null;
      for (String line : canary.stdout()) {
        JsonNode node = JSON.readTree(line);
        switch (node.path("type").asText()) {
          case "pong" -> {
            int partition = node.path("partition").asInt();
            // Each pong came back on the partition its ping was sent to, in turn.
            assertThat(partition).isEqualTo((node.path("seq").asInt() - 1) % pingLeaders.size());
            longest.merge(partition, node.path("time_ms").asDouble(), Math::max);
          }
          case "summary" -> summary = node;
          default -> {}
        }
      }
      System.out.printf(
          "FIGURES canary: node %d killed (coordinator %d; ping leaders %s, pong leaders %s),"
              + " touched partitions %s, longest round trip per partition %s ms%n",
          victim, coordinator, pingLeaders, pongLeaders, touched, longest);
      // Not asserted apart: with acks=all, every partition whose in-sync replicas include the dead
      // broker (here all of them) waits until the controller fences it; those it led wait for a
      // new leader on top, which is often, not always, longer. The figures say how much.
      FailureTable.time(
          "canary: the longest round trip on a partition the killed broker led",
          millis(touched.stream().mapToDouble(longest::get).max().orElseThrow()));
      FailureTable.time(
          "canary: the longest round trip on a partition it did not lead",
          millis(
              longest.entrySet().stream()
                  .filter(entry -> !touched.contains(entry.getKey()))
                  .mapToDouble(Map.Entry::getValue)
                  .max()
                  .orElseThrow()));

      assertThat(canary.stdout()).noneMatch(line -> line.contains("\"type\":\"timeout\""));
      assertThat(summary).isNotNull();
      JsonNode partitions = summary.path("partitions");
      assertThat(partitions).hasSize(pingLeaders.size());
      for (JsonNode partition : partitions) {
        assertThat(partition.path("received").asInt()).isPositive();
        // Recovered: a live broker leads every partition again.
        assertThat(partition.path("leader").asInt()).isNotEqualTo(victim);
      }
    }
  }

  private static Duration millis(double millis) {
    return Duration.ofNanos(Math.round(millis * 1_000_000));
  }

  /** The partitions of the ping/pong round trip that {@code node} leads in either topic. */
  private static Set<Integer> touched(
      int node, Map<Integer, Integer> pingLeaders, Map<Integer, Integer> pongLeaders) {
    Set<Integer> touched = new TreeSet<>();
    pingLeaders.forEach(
        (partition, leader) -> {
          if (leader == node || pongLeaders.get(partition) == node) {
            touched.add(partition);
          }
        });
    return touched;
  }

  private static Map<Integer, Integer> leaders(KafkaCluster cluster, String topic)
      throws Exception {
    try (Admin admin = cluster.admin()) {
      Map<Integer, Integer> leaders = new TreeMap<>();
      for (TopicPartitionInfo partition :
          admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions()) {
        leaders.put(partition.partition(), partition.leader().id());
      }
      return leaders;
    }
  }

  private static int replies(List<JavaProcess> clients) {
    return (int) Replies.count(clients);
  }

  /** The node that leads the most partitions of the topics. */
  private static int busiestLeader(KafkaCluster cluster, List<String> topics) throws Exception {
    return cluster.leaderCounts(topics).entrySet().stream()
        .max(Map.Entry.comparingByValue())
        .orElseThrow()
        .getKey();
  }

  private static int coordinator(KafkaCluster cluster, String group) throws Exception {
    try (Admin admin = cluster.admin()) {
      return admin
          .describeConsumerGroups(List.of(group))
          .describedGroups()
          .get(group)
          .get()
          .coordinator()
          .id();
    }
  }

  /** The longest round trip any client measured, from their JSON lines. */
  private static Duration longest(List<JavaProcess> clients) throws Exception {
    double longest = 0;
    for (JavaProcess client : clients) {
      for (String line : client.stdout()) {
        JsonNode node = JSON.readTree(line);
        if (node.path("type").asText().equals("pong")) {
          longest = Math.max(longest, node.path("time_ms").asDouble());
        }
      }
    }
    return Duration.ofNanos(Math.round(longest * 1_000_000));
  }
}
