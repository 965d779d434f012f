package dev.kafkaping.devkafka;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.common.Uuid;

/**
 * Where the nodes of a development cluster listen and keep their data. Node {@code i} (from 1)
 * serves clients on {@code clientPorts[i-1]} and runs its controller on {@code
 * controllerPorts[i-1]}; every node is broker and controller, so that the controller quorum of
 * three survives the loss of any one node.
 *
 * @param clusterId the id every node is formatted with
 * @param dataDir the cluster's directory; node {@code i} keeps its log in {@code node-i} under it
 */
public record ClusterLayout(
    String clusterId,
    Path dataDir,
    List<Integer> clientPorts,
    List<Integer> controllerPorts,
    int partitions) {
  /** Replicas of every topic, and how many must have a write before it is acknowledged. */
  public static final int REPLICATION_FACTOR = 3;

  public static final int MIN_IN_SYNC_REPLICAS = 2;

  public ClusterLayout {
    Objects.requireNonNull(clusterId, "clusterId");
    Objects.requireNonNull(dataDir, "dataDir");
    clientPorts = List.copyOf(clientPorts);
    controllerPorts = List.copyOf(controllerPorts);
    if (clientPorts.size() != REPLICATION_FACTOR || controllerPorts.size() != REPLICATION_FACTOR) {
      throw new IllegalArgumentException(
          "a cluster has "
              + REPLICATION_FACTOR
              + " nodes, each with a client and a controller port");
    }
  }

  /**
   * Plans a cluster: from {@code port} on, three consecutive client ports then three controller
   * ports, each checked free; port 0 picks a free block. A data dir used before keeps its cluster
   * id, so that a restart finds its data.
   *
   * @throws StartRefusedException if a port is taken or the data dir belongs to a single broker
   */
  public static ClusterLayout plan(int port, Path dataDir, int partitions) throws IOException {
    if (Files.exists(dataDir.resolve("meta.properties"))) {
      throw new StartRefusedException(
          dataDir + " holds a single broker's data; give the cluster another --data-dir");
    }
    int nodes = REPLICATION_FACTOR;
    if (port != 0 && port + 2 * nodes - 1 > 65535) {
      throw new IllegalArgumentException("--port " + port + " leaves no room for 6 ports");
    }
    int first = port == 0 ? LocalPorts.freeBlock(2 * nodes) : port;
    List<Integer> ports =
        IntStream.range(0, 2 * nodes).mapToObj(i -> LocalPorts.requireFree(first + i)).toList();
    String clusterId = existingClusterId(dataDir).orElseGet(() -> Uuid.randomUuid().toString());
    return new ClusterLayout(
        clusterId, dataDir, ports.subList(0, nodes), ports.subList(nodes, 2 * nodes), partitions);
  }

  private static Optional<String> existingClusterId(Path dataDir) throws IOException {
    for (int node = 1; node <= REPLICATION_FACTOR; node++) {
      Path meta = dataDir.resolve("node-" + node).resolve("meta.properties");
      if (Files.exists(meta)) {
        Properties props = new Properties();
        try (InputStream in = Files.newInputStream(meta)) {
          props.load(in);
        }
        return Optional.ofNullable(props.getProperty("cluster.id"));
      }
    }
    return Optional.empty();
  }

  public List<Integer> nodeIds() {
    return IntStream.rangeClosed(1, clientPorts.size()).boxed().toList();
  }

  public Path nodeDir(int nodeId) {
    return dataDir.resolve("node-" + nodeId);
  }

  public String address(int nodeId) {
    return "127.0.0.1:" + clientPorts.get(nodeId - 1);
  }

  public String bootstrapServers() {
    return nodeIds().stream().map(this::address).collect(Collectors.joining(","));
  }

  /** The arguments of {@code kafka-dev} that run one node of this cluster in its own process. */
  public List<String> nodeArguments(int nodeId) {
    List<String> args = new ArrayList<>();
    args.addAll(List.of("--node-id", Integer.toString(nodeId)));
    args.addAll(List.of("--cluster-id", clusterId));
    args.addAll(List.of("--client-ports", join(clientPorts)));
    args.addAll(List.of("--controller-ports", join(controllerPorts)));
    args.addAll(List.of("--data-dir", dataDir.toAbsolutePath().toString()));
    args.addAll(List.of("--partitions", Integer.toString(partitions)));
    return args;
  }

  private static String join(List<Integer> ports) {
    return ports.stream().map(String::valueOf).collect(Collectors.joining(","));
  }

  /** One node's configuration: the single broker's, with three voters and three replicas. */
  Properties serverProperties(int nodeId) {
    int clientPort = clientPorts.get(nodeId - 1);
    int controllerPort = controllerPorts.get(nodeId - 1);
    Properties props =
        new BrokerSettings(clientPort, nodeDir(nodeId), partitions, List.of())
            .serverProperties(clientPort, controllerPort);
    props.put("node.id", Integer.toString(nodeId));
    props.put(
        "controller.quorum.voters",
        nodeIds().stream()
            .map(id -> id + "@127.0.0.1:" + controllerPorts.get(id - 1))
            .collect(Collectors.joining(",")));
    String replicas = Integer.toString(REPLICATION_FACTOR);
    String minInSync = Integer.toString(MIN_IN_SYNC_REPLICAS);
    props.put("default.replication.factor", replicas);
    props.put("min.insync.replicas", minInSync);
    props.put("offsets.topic.replication.factor", replicas);
    props.put("transaction.state.log.replication.factor", replicas);
    props.put("transaction.state.log.min.isr", minInSync);
    props.put("share.coordinator.state.topic.replication.factor", replicas);
    props.put("share.coordinator.state.topic.min.isr", minInSync);
    // A killed broker is fenced, and its partitions led elsewhere, after this long without a
    // heartbeat (Kafka's default is 9 s; a development cluster should show failover quickly).
    props.put("broker.session.timeout.ms", "4000");
    props.put("broker.heartbeat.interval.ms", "500");
    return props;
  }
}
