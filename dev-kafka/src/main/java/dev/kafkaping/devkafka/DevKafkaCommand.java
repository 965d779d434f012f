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
        "Runs a real single-node Apache Kafka broker (KRaft) on 127.0.0.1 for development.",
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
      description = "Client port (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(
      names = "--data-dir",
      defaultValue = "${sys:java.io.tmpdir}/kafka-dev-data",
      description = "Data directory; reused across restarts (default: ${DEFAULT-VALUE}).")
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

  @Spec CommandSpec spec;

  private final Consumer<Runnable> stopSignals;

  /**
   * @param stopSignals installs the handler that asks for a stop (tests pass one that installs
   *     nothing, so that they never take over their own JVM's signals)
   */
  DevKafkaCommand(Consumer<Runnable> stopSignals) {
    this.stopSignals = stopSignals;
  }

  public static void main(String[] args) {
    quietLogging();
    System.exit(commandLine(new DevKafkaCommand(StopSignals::install)).execute(args));
  }

  static CommandLine commandLine(DevKafkaCommand command) {
    return new CommandLine(command).setParameterExceptionHandler(DevKafkaCommand::onBadArguments);
  }

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    // Installed before the start, so that a Ctrl-C while the broker starts also stops it cleanly.
    CountDownLatch stopRequested = new CountDownLatch(1);
    stopSignals.accept(stopRequested::countDown);
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

  private BrokerSettings settings() {
    if (!sasl && !pingPongUsers.isEmpty()) {
      // Without it there are no users, and every client may do everything anyway.
      throw new IllegalArgumentException("--allow-ping-pong needs --sasl");
    }
    Optional<ScramUsers> scram =
        sasl ? Optional.of(new ScramUsers(adminPassword, users, pingPongUsers)) : Optional.empty();
    return new BrokerSettings(port, dataDir, partitions, BrokerSettings.DEFAULT_TOPICS, scram);
  }

  private static int onBadArguments(ParameterException e, String[] args) {
    PrintWriter err = e.getCommandLine().getErr();
    err.println("kafka-dev: " + e.getMessage());
    err.println("Try 'kafka-dev --help' for more information.");
    err.flush();
    return ERROR;
  }

  /** The broker logs thousands of info lines; a developer wants warnings only. */
  static void quietLogging() {
    if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
      System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    }
    // Every clean shutdown closes the broker's registration channel twice, and the second close
    // warns "Attempting to close NetworkClient that has already been closed".
    if (System.getProperty("org.slf4j.simpleLogger.log.org.apache.kafka.clients.NetworkClient")
        == null) {
      System.setProperty(
          "org.slf4j.simpleLogger.log.org.apache.kafka.clients.NetworkClient", "error");
    }
    System.setProperty("org.slf4j.simpleLogger.logFile", "System.err");
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
