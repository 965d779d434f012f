package dev.kafkaping.devkafka;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code java -jar kafka-dev.jar}: runs a development Kafka broker until SIGTERM or Ctrl-C. */
@Command(
    name = "kafka-dev",
    mixinStandardHelpOptions = true,
    versionProvider = DevKafkaCommand.Version.class,
    description =
        "Runs a real Apache Kafka broker (KRaft) on 127.0.0.1 for development: one node, or with"
            + " --brokers 3 a cluster of three processes.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:stopped cleanly by Ctrl-C or SIGTERM",
      "2:did not start (data dir or port in use, bad option, broker failure)",
      "130/143:a second Ctrl-C or SIGTERM ended it at once"
    })
public final class DevKafkaCommand implements Callable<Integer> {
  static final int OK = 0;
  static final int ERROR = 2;

  @Option(
      names = "--port",
      defaultValue = "9092",
      description =
          "Client port (default: ${DEFAULT-VALUE}); with --brokers 3 the first of six: three client"
              + " ports, then three controller ports.")
  int port;

  @Option(
      names = "--brokers",
      defaultValue = "1",
      description =
          "1, or 3: three brokers, each its own process, with topics replicated three times and"
              + " min.insync.replicas=2 (default: ${DEFAULT-VALUE}).")
  int brokers;

  @Option(
      names = "--data-dir",
      description =
          "Data directory; reused across restarts (default: <tmp>/kafka-dev-data, or"
              + " <tmp>/kafka-dev-cluster with --brokers 3).")
  Path dataDir;

  @Option(
      names = "--partitions",
      defaultValue = "3",
      description = "Partitions of the topics ping, pong and ping.DLT (default: ${DEFAULT-VALUE}).")
  int partitions;

  @Option(
      names = "--sasl",
      description =
          "Require SASL/SCRAM-SHA-512 and enforce ACLs (StandardAuthorizer); 'admin' is the super"
              + " user.")
  boolean sasl;

  @Option(
      names = "--admin-password",
      defaultValue = "admin-secret",
      description = "Password of the super user 'admin' with --sasl (default: ${DEFAULT-VALUE}).")
  String adminPassword;

  @Option(
      names = "--user",
      paramLabel = "NAME=PASSWORD",
      description =
          "A SCRAM user to create with --sasl (repeatable); it needs ACLs, see --allow-ping-pong.")
  Map<String, String> users = new LinkedHashMap<>();

  @Option(
      names = "--allow-ping-pong",
      paramLabel = "USER",
      description =
          "Grant a --user the ACLs to run ping and pong with the default topics and group"
              + " (repeatable).")
  List<String> pingPongUsers = new ArrayList<>();

  // One node of a cluster, run by the --brokers 3 launcher in its own process.
  @Option(names = "--node-id", hidden = true)
  Integer nodeId;

  @Option(names = "--cluster-id", hidden = true)
  String clusterId;

  @Option(names = "--client-ports", split = ",", hidden = true)
  List<Integer> clientPorts = List.of();

  @Option(names = "--controller-ports", split = ",", hidden = true)
  List<Integer> controllerPorts = List.of();

  @Spec CommandSpec spec;

  private final Consumer<Runnable> stopSignals;
  private final Consumer<Runnable> nodeStopSignals;

  /**
   * @param stopSignals installs the handler that asks for a stop (tests pass one that installs
   *     nothing, so that they never take over their own JVM's signals)
   */
  DevKafkaCommand(Consumer<Runnable> stopSignals) {
    this(stopSignals, stopSignals);
  }

  private DevKafkaCommand(Consumer<Runnable> stopSignals, Consumer<Runnable> nodeStopSignals) {
    this.stopSignals = stopSignals;
    this.nodeStopSignals = nodeStopSignals;
  }

  public static void main(String[] args) {
    QuietLogging.install();
    System.exit(
        commandLine(new DevKafkaCommand(StopSignals::install, StopSignals::installForNode))
            .execute(args));
  }

  static CommandLine commandLine(DevKafkaCommand command) {
    return new CommandLine(command).setParameterExceptionHandler(DevKafkaCommand::onBadArguments);
  }

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (nodeId != null) {
      return runNode(out, err);
    }
    CountDownLatch stopRequested = new CountDownLatch(1);
    // Installed before the start, so that a Ctrl-C while the broker starts also stops it cleanly.
    stopSignals.accept(stopRequested::countDown);
    if (brokers != 1) {
      return runCluster(out, err, stopRequested);
    }
    BrokerSettings settings;
    EmbeddedKafka kafka;
    try {
      settings = settings();
      kafka = EmbeddedKafka.start(settings);
    } catch (StartRefusedException | IllegalArgumentException e) {
      err.println("kafka-dev: " + e.getMessage());
      return ERROR;
    } catch (Exception e) {
      err.println("kafka-dev: cannot start the broker: " + e.getMessage());
      return ERROR;
    }
    out.println(
        "Kafka ready at "
            + kafka.bootstrapServers()
            + (sasl ? " (SASL_PLAINTEXT, " + ScramUsers.MECHANISM + ")" : ""));
    settings.pingPongAcls().ifPresent(acls -> out.println(acls.summary()));
    out.flush();
    stopRequested.await();
    kafka.close();
    return OK;
  }

  private Path dataDir(String defaultName) {
    return dataDir != null ? dataDir : Path.of(System.getProperty("java.io.tmpdir"), defaultName);
  }

  private int runCluster(PrintWriter out, PrintWriter err, CountDownLatch stopRequested)
      throws InterruptedException {
    KafkaCluster cluster;
    try {
      if (brokers != ClusterLayout.REPLICATION_FACTOR) {
        throw new IllegalArgumentException("--brokers must be 1 or 3, got " + brokers);
      }
      if (sasl) {
        throw new IllegalArgumentException("--sasl works with one broker only");
      }
      ClusterLayout layout = ClusterLayout.plan(port, dataDir("kafka-dev-cluster"), partitions);
      cluster =
          KafkaCluster.start(
              layout, KafkaCluster.sameJavaCommand(), BrokerSettings.DEFAULT_TOPICS, System.err);
    } catch (StartRefusedException | IllegalArgumentException e) {
      err.println("kafka-dev: " + e.getMessage());
      return ERROR;
    } catch (Exception e) {
      err.println("kafka-dev: cannot start the cluster: " + e.getMessage());
      return ERROR;
    }
    if (stopRequested.getCount() == 0) {
      return cluster.stop() ? OK : ERROR; // Ctrl-C while it started
    }
    // The ready line comes last: whoever waits for it has read the nodes too.
    for (KafkaCluster.Node node : cluster.nodes()) {
      out.printf(
          "  node %d at %s, pid %d, data in %s%n",
          node.id(),
          cluster.layout().address(node.id()),
          node.pid(),
          cluster.layout().nodeDir(node.id()));
    }
    out.printf(
        "  topics %s: %d partitions, replication factor %d, min.insync.replicas %d%n",
        String.join(", ", BrokerSettings.DEFAULT_TOPICS),
        partitions,
        ClusterLayout.REPLICATION_FACTOR,
        ClusterLayout.MIN_IN_SYNC_REPLICAS);
    out.println("Kafka ready at " + cluster.bootstrapServers());
    out.flush();
    stopRequested.await();
    return cluster.stop() ? OK : ERROR;
  }

  private int runNode(PrintWriter out, PrintWriter err) throws InterruptedException {
    AbandonedLoadFilter.install();
    ClusterLayout layout =
        new ClusterLayout(
            clusterId, dataDir("kafka-dev-cluster"), clientPorts, controllerPorts, partitions);
    return new NodeProcess(layout, nodeId).run(out, err, nodeStopSignals, System.in);
  }

  private BrokerSettings settings() {
    if (!sasl && !pingPongUsers.isEmpty()) {
      // Without it there are no users, and every client may do everything anyway.
      throw new IllegalArgumentException("--allow-ping-pong needs --sasl");
    }
    Optional<ScramUsers> scram =
        sasl ? Optional.of(new ScramUsers(adminPassword, users, pingPongUsers)) : Optional.empty();
    return new BrokerSettings(
        port, dataDir("kafka-dev-data"), partitions, BrokerSettings.DEFAULT_TOPICS, scram);
  }

  private static int onBadArguments(ParameterException e, String[] args) {
    PrintWriter err = e.getCommandLine().getErr();
    err.println("kafka-dev: " + e.getMessage());
    err.println("Try 'kafka-dev --help' for more information.");
    err.flush();
    return ERROR;
  }

  /** The version from the jar manifest, and the Java running it (as ping and pong print them). */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = DevKafkaCommand.class.getPackage().getImplementationVersion();
      return new String[] {
        "kafka-dev " + (version == null ? "(development build)" : version),
        "Java " + Runtime.version()
      };
    }
  }
}
