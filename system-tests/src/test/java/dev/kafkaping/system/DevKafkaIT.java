package dev.kafkaping.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kafka-dev.jar started twice on one data dir or one port: the second refuses in one line before it
 * formats, reads or starts anything, and the first broker goes on as if nothing had happened.
 */
class DevKafkaIT {
  private static final Duration START = Duration.ofSeconds(90);
  private static final Duration REFUSAL = Duration.ofSeconds(60);

  @Test
  void shouldRefuseASecondBrokerOnTheSameDataDirOrPortAndKeepTheFirstOneServing(@TempDir Path tmp)
      throws Exception {
    Path dataDir = tmp.resolve("data");
    Path otherDir = tmp.resolve("other");
    int port = freePort();
    try (JavaProcess first = kafkaDev("kafka-dev-first", port, dataDir)) {
      first.awaitLine(line -> line.startsWith("Kafka ready at"), START);

      try (JavaProcess sameDir = kafkaDev("kafka-dev-same-dir", freePort(), dataDir)) {
        assertThat(sameDir.awaitExit(REFUSAL)).isEqualTo(2);
        assertThat(sameDir.allLines())
            .containsExactly(
                "kafka-dev: "
                    + dataDir
                    + " is in use by another kafka-dev (pid "
                    + first.pid()
                    + ")");
      }
      try (JavaProcess samePort = kafkaDev("kafka-dev-same-port", port, otherDir)) {
        assertThat(samePort.awaitExit(REFUSAL)).isEqualTo(2);
        assertThat(samePort.allLines())
            .containsExactly("kafka-dev: port " + port + " is already in use");
      }
      assertThat(otherDir.resolve("meta.properties")).doesNotExist();

      try (Wire wire = new Wire("127.0.0.1:" + port)) {
        wire.send(wire.pingTopic, bytes("key"), bytes("still serving"));
        assertThat(wire.readAll(wire.pingTopic))
            .extracting(record -> Wire.text(record.value()))
            .containsExactly("still serving");
      }

      long signalled = System.nanoTime();
      first.terminate();
      int exit = first.awaitExit(Duration.ofSeconds(60));
      Duration stopping = Duration.ofNanos(System.nanoTime() - signalled);
      assertThat(exit).isZero();
      assertThat(stopping).isLessThan(Duration.ofSeconds(10));
      // JavaProcess runs the jar without bin/kafka-dev's flag, so the JVM's Unsafe warnings may
      // appear (ourStderr leaves them out); anything else on stderr would be noise, the
      // controller's activation warning at the first start included.
      assertThat(first.ourStderr()).isEmpty();
    }
  }

  @Test
  void shouldLeaveNothingItCreatedWhenAStartIsRefused(@TempDir Path tmp) throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Path created = tmp.resolve("new");
      Path existing = Files.createDirectories(tmp.resolve("existing"));
      for (Path dataDir : List.of(created.resolve("deeper"), existing)) {
        try (JavaProcess refused = kafkaDev("kafka-dev-refused", taken.getLocalPort(), dataDir)) {
          assertThat(refused.awaitExit(REFUSAL)).isEqualTo(2);
          assertThat(refused.allLines())
              .containsExactly("kafka-dev: port " + taken.getLocalPort() + " is already in use");
        }
      }
      assertThat(created).doesNotExist();
      assertThat(existing).isEmptyDirectory();
    }
  }

  @Test
  void shouldRunThreeBrokersInTheirOwnProcessesWithReplicatedTopicsAndStopThemAllOnCtrlC(
      @TempDir Path dataDir) throws Exception {
    try (JavaProcess cluster =
        JavaProcess.start(
            "kafka-dev-cluster",
            Jars.KAFKA_DEV,
            List.of("--brokers", "3", "--port", "0", "--data-dir", dataDir.toString()),
            Map.of())) {
      String ready = cluster.awaitLine(line -> line.startsWith("Kafka ready at"), START);
      String bootstrap = ready.substring("Kafka ready at ".length());
      assertThat(bootstrap.split(",")).hasSize(3);
      List<Long> nodePids = nodePids(cluster);
      assertThat(nodePids).hasSize(3).doesNotContain(cluster.pid());

      try (Admin admin =
          Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
        assertThat(admin.describeCluster().nodes().get()).hasSize(3);
        TopicDescription ping =
            admin.describeTopics(List.of("ping")).allTopicNames().get().get("ping");
        assertThat(ping.partitions())
            .hasSize(3)
            .allSatisfy(partition -> assertThat(partition.isr()).hasSize(3));
        ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, "ping");
        assertThat(
                admin
                    .describeConfigs(List.of(topic))
                    .all()
                    .get()
                    .get(topic)
                    .get("min.insync.replicas")
                    .value())
            .isEqualTo("2");
      }

      // A node that dies is reported in one line, and the other two go on serving.
      long killed = nodePids.get(2);
      assertThat(new ProcessBuilder("kill", "-KILL", Long.toString(killed)).start().waitFor())
          .isZero();
      cluster.awaitLine(line -> line.startsWith("kafka-dev: node 3"), START);
      assertThat(cluster.ourStderr())
          .containsOnlyOnce("kafka-dev: node 3 (pid " + killed + ") exited with 137");
      try (Admin admin =
          Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
        Await.until(
            "the two survivors lead every ping partition",
            START,
            () -> everyPingPartitionLedByAnotherThan(admin, 3));
      }

      // A Ctrl-C in a terminal reaches the launcher and its nodes together: the nodes must leave
      // the stop to the launcher (a second signal would make them halt).
      List<String> ctrlC = new ArrayList<>(List.of("kill", "-INT", Long.toString(cluster.pid())));
      nodePids.subList(0, 2).forEach(pid -> ctrlC.add(Long.toString(pid)));
      long signalled = System.nanoTime();
      assertThat(new ProcessBuilder(ctrlC).inheritIO().start().waitFor()).isZero();
      assertThat(cluster.awaitExit(Duration.ofSeconds(60))).isZero();
      // With one node gone, the two left keep a controller quorum while their brokers stop.
      assertThat(Duration.ofNanos(System.nanoTime() - signalled))
          .isLessThan(Duration.ofSeconds(30));
      assertThat(cluster.ourStderr())
          .containsExactly("kafka-dev: node 3 (pid " + killed + ") exited with 137");
      for (long pid : nodePids) {
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive))
            .as("node pid " + pid)
            .isNotEqualTo(java.util.Optional.of(true));
      }
    }
  }

  @Test
  void shouldStopEveryNodeOnSigtermAndEveryNodeStopsWhenTheLauncherIsKilled(@TempDir Path tmp)
      throws Exception {
    // A clean stop, a restart on the same data and a second clean stop: quiet, as one broker is.
    for (int run = 1; run <= 2; run++) {
      try (JavaProcess cluster = cluster(tmp.resolve("terminated"))) {
        List<Long> nodes = startedNodes(cluster);
        long signalled = System.nanoTime();
        cluster.terminate();
        assertThat(cluster.awaitExit(Duration.ofSeconds(60))).isZero();
        assertThat(Duration.ofNanos(System.nanoTime() - signalled))
            .isLessThan(Duration.ofSeconds(10));
        assertThat(cluster.ourStderr()).as("stderr of run " + run).isEmpty();
        assertThat(nodes).allSatisfy(pid -> assertThat(alive(pid)).as("node pid " + pid).isFalse());
      }
    }
    // kill -9 gives the launcher no chance to stop anything: each node notices on its own that
    // its launcher is gone (its standard input ends) and stops.
    try (JavaProcess cluster = cluster(tmp.resolve("killed"))) {
      List<Long> nodes = startedNodes(cluster);
      cluster.kill();
      cluster.awaitExit(Duration.ofSeconds(10));
      Await.until(
          "every node stopped after its launcher was killed",
          Duration.ofSeconds(60),
          () -> nodes.stream().noneMatch(DevKafkaIT::alive));
    }
  }

  private static JavaProcess cluster(Path dataDir) {
    return JavaProcess.start(
        "kafka-dev-cluster",
        Jars.KAFKA_DEV,
        List.of("--brokers", "3", "--port", "0", "--data-dir", dataDir.toString()),
        Map.of());
  }

  private static List<Long> startedNodes(JavaProcess cluster) throws InterruptedException {
    cluster.awaitLine(line -> line.startsWith("Kafka ready at"), START);
    List<Long> nodes = nodePids(cluster);
    assertThat(nodes).hasSize(3).allSatisfy(pid -> assertThat(alive(pid)).isTrue());
    return nodes;
  }

  private static boolean alive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  private static boolean everyPingPartitionLedByAnotherThan(Admin admin, int node) {
    try {
      return admin
          .describeTopics(List.of("ping"))
          .allTopicNames()
          .get()
          .get("ping")
          .partitions()
          .stream()
          .allMatch(p -> p.leader() != null && p.leader().id() != node);
    } catch (Exception e) {
      return false; // asked again until the deadline
    }
  }

  /** The pids the launcher printed, one line per node: " node N at HOST:PORT, pid P, ...". */
  private static List<Long> nodePids(JavaProcess cluster) {
    return cluster.stdout().stream()
        .filter(line -> line.startsWith("  node "))
        .map(line -> Long.parseLong(line.replaceAll(".* pid (\\d+),.*", "$1")))
        .toList();
  }

  private static JavaProcess kafkaDev(String name, int port, Path dataDir) {
    return JavaProcess.start(
        name,
        Jars.KAFKA_DEV,
        List.of("--port", Integer.toString(port), "--data-dir", dataDir.toString()),
        Map.of());
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
