package dev.kafkaping.devkafka;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.utils.Utils;

/**
 * Three Kafka nodes, each in its own process (so that one can be killed), started from a {@link
 * ClusterLayout}. Every node is a {@code kafka-dev} run with {@code --node-id}; this class starts
 * them, creates the topics with three replicas once all three serve, and stops them.
 */
public final class KafkaCluster implements AutoCloseable {
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);

  /** A node's controlled shutdown bound, and time to close its logs. */
  private static final Duration BROKER_STOP_TIMEOUT =
      EmbeddedKafka.CONTROLLED_SHUTDOWN_TIMEOUT.plusSeconds(15);

  /** Controllers that must run for the quorum of three to elect a leader and commit. */
  private static final int QUORUM = 2;

  private static final String OFFSETS_TOPIC = "__consumer_offsets";

  private final ClusterLayout layout;
  private final List<Node> nodes;

  private KafkaCluster(ClusterLayout layout, List<String> kafkaDevCommand, PrintStream log) {
    this.layout = layout;
    this.nodes =
        layout.nodeIds().stream()
            .map(id -> new Node(id, command(kafkaDevCommand, layout.nodeArguments(id)), log))
            .toList();
  }

  /**
   * Starts the three nodes and waits until they serve the topics.
   *
   * @param kafkaDevCommand how to run {@code kafka-dev} in a new process, e.g. {@code java -jar
   *     kafka-dev.jar}; the node's arguments are appended
   * @param topics created with {@link ClusterLayout#REPLICATION_FACTOR} replicas if missing
   * @param log where the nodes' own error output and unexpected exits are reported
   */
  public static KafkaCluster start(
      ClusterLayout layout, List<String> kafkaDevCommand, List<String> topics, PrintStream log)
      throws Exception {
    KafkaCluster cluster = new KafkaCluster(layout, kafkaDevCommand, log);
    try {
      cluster.nodes.forEach(Node::start);
      for (Node node : cluster.nodes) {
        node.awaitReady(READY_TIMEOUT);
      }
      List<String> all = new ArrayList<>(topics);
      all.add(OFFSETS_TOPIC);
      long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
      try (Admin admin = cluster.admin()) {
        MissingTopics.create(
            admin,
            topics.stream()
                .map(
                    name ->
                        new NewTopic(
                            name, layout.partitions(), (short) ClusterLayout.REPLICATION_FACTOR))
                .toList(),
            deadline);
        awaitGroupCoordinators(admin);
        awaitFullyReplicated(admin, all, deadline);
      }
      return cluster;
    } catch (Exception | Error e) {
      cluster.close();
      throw e;
    }
  }

  /** The command that runs this very kafka-dev (same JDK, same class path) in a new process. */
  public static List<String> sameJavaCommand() {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(nodeJvmFlags());
    command.addAll(List.of("-cp", System.getProperty("java.class.path")));
    command.add(DevKafkaCommand.class.getName());
    return command;
  }

  /**
   * A small heap per node, and (JDK 23+) no warning when Kafka unmaps an index file at shutdown.
   */
  public static List<String> nodeJvmFlags() {
    List<String> flags = new ArrayList<>(List.of("-Xmx384m"));
    if (Runtime.version().feature() >= 23) {
      flags.add("--sun-misc-unsafe-memory-access=allow");
    }
    return flags;
  }

  private static List<String> command(List<String> kafkaDev, List<String> nodeArguments) {
    List<String> command = new ArrayList<>(kafkaDev);
    command.addAll(nodeArguments);
    return command;
  }

  public ClusterLayout layout() {
    return layout;
  }

  public String bootstrapServers() {
    return layout.bootstrapServers();
  }

  public List<Node> nodes() {
    return nodes;
  }

  public Node node(int nodeId) {
    return nodes.get(nodeId - 1);
  }

  /** Stops every node that runs, as {@link #stop} does. */
  @Override
  public void close() {
    stop();
  }

  /**
   * Stops every node that runs and waits for them; false when one that was running did not stop
   * cleanly (a node that had died before was reported then).
   *
   * <p>The brokers stop first, together, while every controller still votes: a broker's controlled
   * shutdown needs an active controller, which needs two of the three. Then the nodes exit. A node
   * stopped whole, one after the other, would leave the last broker without a quorum to approve its
   * controlled shutdown, and the last controller without a successor for its leadership.
   */
  public boolean stop() {
    List<Node> running = nodes.stream().filter(Node::isAlive).toList();
    boolean clean = true;
    if (running.size() >= QUORUM) {
      running.forEach(Node::requestBrokerStop);
      for (Node node : running) {
        clean &= node.awaitBrokerStopped();
      }
    } else if (running.size() == 1) {
      // No controller can approve its controlled shutdown: it would wait for one in vain.
      running.getFirst().kill("is the only one left, without a controller quorum to stop cleanly");
      clean = false;
    }
    nodes.forEach(Node::requestStop);
    for (Node node : nodes) {
      clean &= node.awaitStopped();
    }
    return clean;
  }

  /** An administrative client for this cluster; the caller closes it. */
  public Admin admin() {
    return Admin.create(
        Map.of(
            AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrapServers(),
            AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
            (int) READY_TIMEOUT.toMillis()));
  }

  /**
   * Kafka creates its offsets topic when a group first needs it, with three replicas here: with a
   * node down by then, no group could commit. Asking for some group's offsets creates it now;
   * asking for one group on each of its partitions returns once every group coordinator has loaded
   * its partition (Kafka logs an error for a load that a stop right after the start cuts short).
   */
  private static void awaitGroupCoordinators(Admin admin) throws Exception {
    Map<String, ListConsumerGroupOffsetsSpec> groups = new HashMap<>();
    Set<Integer> partitions = new HashSet<>();
    for (int i = 0; partitions.size() < BrokerSettings.OFFSETS_PARTITIONS; i++) {
      String group = "kafka-dev-start-" + i;
      // Kafka's choice of a group's partition.
      if (partitions.add(Utils.abs(group.hashCode()) % BrokerSettings.OFFSETS_PARTITIONS)) {
        groups.put(group, new ListConsumerGroupOffsetsSpec());
      }
    }
    admin.listConsumerGroupOffsets(groups).all().get();
  }

  /**
   * Waits until every partition of the topics has a leader and all three replicas in sync: a node
   * that was just (re)started then serves, and stopping another one next keeps two in sync.
   */
  public void awaitFullyReplicated(Collection<String> topics, Duration timeout)
      throws InterruptedException, ExecutionException, TimeoutException {
    try (Admin admin = admin()) {
      awaitFullyReplicated(admin, topics, System.nanoTime() + timeout.toNanos());
    }
  }

  private static void awaitFullyReplicated(Admin admin, Collection<String> topics, long deadline)
      throws InterruptedException, ExecutionException, TimeoutException {
    while (!fullyReplicated(admin, topics)) {
      if (System.nanoTime() > deadline) {
        throw new TimeoutException("the topics " + topics + " are not fully replicated in time");
      }
      Thread.sleep(100); // polling interval of a deadline-bounded wait
    }
  }

  private static boolean fullyReplicated(Admin admin, Collection<String> topics)
      throws InterruptedException, ExecutionException {
    Map<String, TopicDescription> described;
    try {
      described = admin.describeTopics(topics).allTopicNames().get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof UnknownTopicOrPartitionException) {
        return false; // created a moment ago; the metadata is on its way
      }
      throw e;
    }
    for (TopicDescription topic : described.values()) {
      for (TopicPartitionInfo partition : topic.partitions()) {
        if (partition.leader() == null
            || partition.isr().size() < ClusterLayout.REPLICATION_FACTOR) {
          return false;
        }
      }
    }
    return true;
  }

  /** Which node leads how many partitions of the topics. */
  public Map<Integer, Integer> leaderCounts(Collection<String> topics)
      throws InterruptedException, ExecutionException {
    Map<Integer, Integer> counts = new HashMap<>();
    try (Admin admin = admin()) {
      for (TopicDescription topic : admin.describeTopics(topics).allTopicNames().get().values()) {
        for (TopicPartitionInfo partition : topic.partitions()) {
          if (partition.leader() != null) {
            counts.merge(partition.leader().id(), 1, Integer::sum);
          }
        }
      }
    }
    return counts;
  }

  /** One node's process: started, killed, stopped and started again by the caller. */
  public static final class Node {
    private final int id;
    private final List<String> command;
    private final PrintStream log;
    private Run run; // the current (or last) process; null before the first start

    /** One process of the node, with what is known about it. */
    private static final class Run {
      final Process process;
      final CompletableFuture<Void> ready = new CompletableFuture<>();
      final CompletableFuture<Void> brokerStopped = new CompletableFuture<>();
      volatile boolean stopAsked;
      volatile boolean stoppedWhileAlive;

      Run(Process process) {
        this.process = process;
      }
    }

    private Node(int id, List<String> command, PrintStream log) {
      this.id = id;
      this.command = List.copyOf(command);
      this.log = log;
    }

    public int id() {
      return id;
    }

    public synchronized long pid() {
      return run.process.pid();
    }

    public synchronized boolean isAlive() {
      return run != null && run.process.isAlive();
    }

    /**
     * Starts the node's process; {@link #awaitReady} waits until it serves. Its standard input
     * stays an open pipe: the node stops when it closes, i.e. when this JVM is gone, however it
     * ended.
     */
    public synchronized void start() {
      if (isAlive()) {
        throw new IllegalStateException("node " + id + " is running");
      }
      try {
        run =
            new Run(
                new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start());
      } catch (IOException e) {
        throw new UncheckedIOException("cannot start node " + id, e);
      }
      Run started = run;
      Thread.ofPlatform()
          .daemon()
          .name("kafka-node-" + id + "-out")
          .start(() -> readOutput(started));
    }

    /** The node prints one line when it serves; anything else it prints is passed on. */
    private void readOutput(Run started) {
      try (BufferedReader out =
          new BufferedReader(
              new InputStreamReader(started.process.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = out.readLine()) != null) {
          if (line.equals(NodeProcess.READY)) {
            started.ready.complete(null);
          } else if (line.equals(NodeProcess.BROKER_STOPPED)) {
            started.brokerStopped.complete(null);
          } else {
            log.println(line);
          }
        }
      } catch (IOException e) {
        // the process is gone; its exit is reported below
      }
      int exit = waitForExit(started.process);
      started.brokerStopped.complete(null); // nothing left to wait for
      if (!started.ready.isDone()) {
        started.ready.completeExceptionally(
            new IllegalStateException("node " + id + " exited with " + exit + " before serving"));
      } else if (!started.stopAsked) {
        log.println(
            "kafka-dev: node " + id + " (pid " + started.process.pid() + ") exited with " + exit);
      }
    }

    private static int waitForExit(Process process) {
      try {
        return process.waitFor();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return -1;
      }
    }

    public void awaitReady(Duration timeout) throws Exception {
      CompletableFuture<Void> ready;
      synchronized (this) {
        ready = run.ready;
      }
      try {
        ready.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (ExecutionException e) {
        throw e.getCause() instanceof Exception cause ? cause : e;
      } catch (TimeoutException e) {
        throw new TimeoutException("node " + id + " did not serve within " + timeout);
      }
    }

    /** SIGKILL, as in a crash; returns once the process is gone. */
    public void kill() throws InterruptedException {
      Run current;
      synchronized (this) {
        current = run;
      }
      current.stopAsked = true;
      current.process.destroyForcibly().waitFor();
    }

    /** SIGTERM, a clean stop; returns once the process is gone. */
    public boolean stop() {
      requestStop();
      return awaitStopped();
    }

    private synchronized void requestStop() {
      if (run != null) {
        markStopAsked();
        run.process.destroy();
      }
    }

    private synchronized void markStopAsked() {
      if (!run.stopAsked) {
        run.stopAsked = true;
        run.stoppedWhileAlive = run.process.isAlive();
      }
    }

    /** Asks the running node to stop its broker only; its controller goes on voting. */
    private synchronized void requestBrokerStop() {
      markStopAsked();
      try {
        OutputStream in = run.process.getOutputStream();
        in.write((NodeProcess.STOP_BROKER + "\n").getBytes(StandardCharsets.UTF_8));
        in.flush();
      } catch (IOException e) {
        // it has just exited; its exit is what the stop waits for
      }
    }

    /** False, and the node killed, when its broker did not stop in time. */
    private boolean awaitBrokerStopped() {
      Run current;
      synchronized (this) {
        current = run;
      }
      try {
        current.brokerStopped.get(BROKER_STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        return true;
      } catch (ExecutionException e) {
        throw new IllegalStateException(e); // never completed exceptionally
      } catch (TimeoutException e) {
        kill("did not stop its broker within " + BROKER_STOP_TIMEOUT);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        current.process.destroyForcibly();
      }
      return false;
    }

    /** SIGKILL during a stop, reported here in one line (and not again as a failed stop). */
    private synchronized void kill(String why) {
      markStopAsked();
      run.stoppedWhileAlive = false;
      log.println("kafka-dev: node " + id + " " + why + "; killed");
      run.process.destroyForcibly();
    }

    /** False when a node that was running at the stop did not exit cleanly. */
    private boolean awaitStopped() {
      Run current;
      synchronized (this) {
        current = run;
      }
      if (current == null) {
        return true;
      }
      try {
        if (!current.process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
          log.println(
              "kafka-dev: node " + id + " did not stop within " + STOP_TIMEOUT + "; killed");
          current.process.destroyForcibly().waitFor();
          return false;
        }
      } catch (InterruptedException e) {
        current.process.destroyForcibly();
        Thread.currentThread().interrupt();
        return false;
      }
      if (current.stoppedWhileAlive && current.process.exitValue() != 0) {
        log.println(
            "kafka-dev: node " + id + " stopped with exit code " + current.process.exitValue());
        return false;
      }
      return true;
    }
  }
}
