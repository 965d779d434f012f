package dev.kafkaping.devkafka;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import kafka.server.KafkaConfig;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;

/** A real single-node Kafka broker (KRaft, broker and controller in one) inside this JVM. */
public final class EmbeddedKafka implements AutoCloseable {
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

  /**
   * How long a broker waits for the controller to approve its controlled shutdown (Kafka's own
   * bound is 5 minutes); it then stops anyway, its logs closed cleanly.
   */
  static final Duration CONTROLLED_SHUTDOWN_TIMEOUT = Duration.ofSeconds(30);

  private final CombinedServer server;
  private final String bootstrapServers;
  private final DataDirLock lock;

  private EmbeddedKafka(CombinedServer server, String bootstrapServers, DataDirLock lock) {
    this.server = server;
    this.bootstrapServers = bootstrapServers;
    this.lock = lock;
  }

  /**
   * Claims the data dir and checks the ports, then formats the data dir if it is new, starts the
   * broker and waits until clients can use it.
   *
   * @throws StartRefusedException if another broker uses the data dir or a port is taken; nothing
   *     has been formatted or started then, and nothing this start created is left behind
   */
  public static EmbeddedKafka start(BrokerSettings settings) throws Exception {
    if (Files.isDirectory(settings.dataDir().resolve("node-1"))) {
      throw new StartRefusedException(
          settings.dataDir()
              + " holds a cluster's data; give the single broker another --data-dir");
    }
    DataDirLock lock = DataDirLock.acquire(settings.dataDir());
    try {
      int clientPort =
          settings.port() == 0 ? LocalPorts.free() : LocalPorts.requireFree(settings.port());
      int controllerPort = LocalPorts.freeOtherThan(clientPort);
      formatIfNew(settings.dataDir(), 1, Uuid.randomUuid().toString(), settings.scram());
      String bootstrap = "127.0.0.1:" + clientPort;
      return run(
          settings.serverProperties(clientPort, controllerPort),
          bootstrap,
          lock,
          () -> prepare(bootstrap, settings));
    } catch (Exception | Error e) {
      lock.abandon();
      throw e;
    }
  }

  /**
   * Starts one node of a cluster in this JVM and waits until its broker answers. The topics are not
   * its business: they need all three nodes, and {@link KafkaCluster} creates them.
   */
  public static EmbeddedKafka startNode(ClusterLayout cluster, int nodeId) throws Exception {
    Path dir = cluster.nodeDir(nodeId);
    DataDirLock lock = DataDirLock.acquire(dir);
    try {
      formatIfNew(dir, nodeId, cluster.clusterId(), Optional.empty());
      String bootstrap = cluster.address(nodeId);
      return run(cluster.serverProperties(nodeId), bootstrap, lock, () -> awaitAnswer(bootstrap));
    } catch (Exception | Error e) {
      lock.abandon();
      throw e;
    }
  }

  private interface Preparation {
    void run() throws Exception;
  }

  private static EmbeddedKafka run(
      Properties props, String bootstrap, DataDirLock lock, Preparation prepare) throws Exception {
    CombinedServer server = CombinedServer.create(KafkaConfig.fromProps(props, false));
    try {
      server.startup();
      prepare.run();
    } catch (Exception | Error e) {
      server.stopBroker(CONTROLLED_SHUTDOWN_TIMEOUT);
      server.stopController();
      throw e;
    }
    return new EmbeddedKafka(server, bootstrap, lock);
  }

  public String bootstrapServers() {
    return bootstrapServers;
  }

  /**
   * Stops the broker half only; the controller goes on voting, so that the other brokers of a
   * cluster can still have their controlled shutdown approved.
   */
  void stopBroker() {
    server.stopBroker(CONTROLLED_SHUTDOWN_TIMEOUT);
  }

  /** Stops the broker (if it still runs) and the controller, then releases the data dir. */
  @Override
  public void close() {
    server.stopBroker(CONTROLLED_SHUTDOWN_TIMEOUT);
    server.stopController();
    try {
      lock.close();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot release the lock on the data dir", e);
    }
  }

  private static void formatIfNew(
      Path dataDir, int nodeId, String clusterId, Optional<ScramUsers> scram) throws Exception {
    if (Files.exists(dataDir.resolve("meta.properties"))) {
      return; // a restart keeps its data
    }
    String dir = dataDir.toAbsolutePath().toString();
    new Formatter()
        .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
        .setClusterId(clusterId)
        .setNodeId(nodeId)
        .setControllerListenerName("CONTROLLER")
        .setMetadataLogDirectory(dir)
        .setDirectories(List.of(dir))
        .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
        .setScramArguments(scram.map(ScramUsers::formatterArguments).orElse(List.of()))
        .run();
  }

  /** Waits until the broker answers, then creates the missing topics and grants the ACLs. */
  private static void prepare(String bootstrap, BrokerSettings settings)
      throws InterruptedException, ExecutionException, TimeoutException {
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    Map<String, Object> config = new HashMap<>(settings.adminClientProperties());
    config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) READY_TIMEOUT.toMillis());
    try (Admin admin = Admin.create(config)) {
      admin.describeCluster().nodes().get(remaining(deadline), TimeUnit.NANOSECONDS);
      MissingTopics.create(
          admin,
          settings.topics().stream()
              .map(name -> new NewTopic(name, Optional.of(settings.partitions()), Optional.empty()))
              .toList(),
          deadline);
      Optional<PingPongAcls> acls = settings.pingPongAcls();
      if (acls.isPresent()) {
        // Granting an ACL that exists already (a restart) changes nothing and is no error.
        admin
            .createAcls(acls.get().bindings())
            .all()
            .get(remaining(deadline), TimeUnit.NANOSECONDS);
        awaitAcls(admin, acls.get(), deadline);
      }
    }
  }

  /**
   * The controller has the ACLs once createAcls returns; the broker's authorizer learns them from
   * the metadata log a moment later. "Kafka ready" must mean the user can already use them.
   */
  private static void awaitAcls(Admin admin, PingPongAcls acls, long deadline)
      throws InterruptedException, ExecutionException, TimeoutException {
    while (admin
            .describeAcls(AclBindingFilter.ANY)
            .values()
            .get(remaining(deadline), TimeUnit.NANOSECONDS)
            .size()
        < acls.bindings().size()) {
      if (System.nanoTime() > deadline) {
        throw new TimeoutException("the granted ACLs did not reach the broker in time");
      }
      Thread.sleep(50); // polling interval of a deadline-bounded wait
    }
  }

  /** Waits until the broker at {@code bootstrap} answers a client. */
  private static void awaitAnswer(String bootstrap)
      throws InterruptedException, ExecutionException, TimeoutException {
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      admin.describeCluster().nodes().get(remaining(deadline), TimeUnit.NANOSECONDS);
    }
  }

  private static long remaining(long deadline) {
    return Math.max(1, deadline - System.nanoTime());
  }

  /** Deletes a directory tree; used for throw-away data dirs. */
  static void deleteRecursively(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (var paths = Files.walk(root)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }
}
